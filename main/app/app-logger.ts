import { join } from 'node:path';

import pino from 'pino';

import { errorMessage } from '../support/coded-error.js';
import { LogBuffer } from '../support/log-buffer.js';
import { REDACT_PATHS, type Logger } from '../support/logger.js';
import { RotatingLogFile } from './logic/rotating-log-file.js';

const LOG_FILE_MAX_BYTES = 5 * 1024 * 1024;
const LOG_FILES_KEPT = 3;

export interface AppLogging {
  logger: Logger;
  logBuffer: LogBuffer;
  logFile: RotatingLogFile;
}

/**
 * JSON log lines to `logs/moonraker-owl.log` in the user data folder, stderr and the buffer. The
 * logger starts at `info` until the settings are read. Only its own level filters, so that
 * `LogLevelControl` can change it for every stream at once. Call it only in the instance that
 * holds the single-instance lock, because a second instance would rotate the first one's file.
 */
export function createAppLogging(logsFolder: string): AppLogging {
  const logBuffer = new LogBuffer();
  const path = join(logsFolder, 'moonraker-owl.log');
  const logFile = new RotatingLogFile({
    path,
    maxBytes: LOG_FILE_MAX_BYTES,
    keep: LOG_FILES_KEPT,
    // The logger writes into this file, so its own failures go to stderr only.
    onError: (operation, error) =>
      process.stderr.write(
        `Moonraker Owl: the ${operation} of the log file ${path} failed: ${errorMessage(error)}\n`,
      ),
  });
  const logger = pino(
    { level: 'info', redact: { paths: REDACT_PATHS, censor: '[redacted]' } },
    pino.multistream([
      { level: 'trace', stream: logFile.stream() },
      { level: 'trace', stream: pino.destination(2) },
      { level: 'trace', stream: logBuffer.stream() },
    ]),
  );
  return { logger, logBuffer, logFile };
}
