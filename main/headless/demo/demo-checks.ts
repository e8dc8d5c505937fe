import { access, constants } from 'node:fs/promises';

import { withDeadline } from '../../cloud/deadline.js';
import type { Clock } from '../../support/clock.js';
import { CodedError, errorMessage } from '../../support/coded-error.js';

/** How long the demo waits for the first broker connection of its watcher and bridges. */
export const DEFAULT_BROKER_TIMEOUT_MS = 15_000;

export type DemoErrorCode = 'replay_not_found' | 'broker_unreachable';

/** Throws `replay_not_found`, naming the file and the fix, unless the recording can be read. */
export async function assertReadableRecording(path: string): Promise<void> {
  try {
    await access(path, constants.R_OK);
  } catch (error) {
    throw new CodedError<DemoErrorCode>(
      'replay_not_found',
      `Cannot read the recording ${path}: ${errorMessage(error)}. ` +
        'Pass --replay with the path of a recorded Moonraker session (a .jsonl file).',
      { cause: error, details: { path } },
    );
  }
}

/**
 * Settles like `connected`, or rejects with `broker_unreachable` naming the broker and the fix
 * when `connected` rejects or no connection came within `timeoutMs`. The waiting work is not
 * cancelled: the caller closes the clients it started.
 */
export async function withinBrokerTimeout<T>(
  connected: Promise<T>,
  brokerUrl: string,
  clock: Clock,
  timeoutMs: number,
): Promise<T> {
  try {
    return await withDeadline(connected, clock, timeoutMs, `Connecting to ${brokerUrl}`);
  } catch (error) {
    const timedOut = error instanceof CodedError && error.code === 'timed_out';
    throw brokerUnreachable(brokerUrl, timeoutMs, timedOut ? undefined : error);
  }
}

function brokerUnreachable(
  brokerUrl: string,
  timeoutMs: number,
  cause: unknown,
): CodedError<DemoErrorCode> {
  const seconds = Math.round(timeoutMs / 100) / 10;
  const failure =
    cause === undefined
      ? `No connection to the MQTT broker at ${brokerUrl} within ${seconds} s`
      : `Connecting to the MQTT broker at ${brokerUrl} failed: ${errorMessage(cause)}`;
  return new CodedError<DemoErrorCode>(
    'broker_unreachable',
    `${failure}. Check that the broker is running and that the URL is right, or leave out ` +
      '--broker to use the embedded broker.',
    { cause, details: { brokerUrl, timeoutMs } },
  );
}
