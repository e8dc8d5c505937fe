import { join } from 'node:path';

import pino from 'pino';

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
 * `LogLevelControl` can change it for every stream at once.
 */
export function createAppLogging(logsFolder: string): AppLogging {
  const logBuffer = new LogBuffer();
  const logFile = new RotatingLogFile({
    path: join(logsFolder, 'moonraker-owl.log'),
    maxBytes: LOG_FILE_MAX_BYTES,
    keep: LOG_FILES_KEPT,
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
