import type { IConnackPacket } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';

import { FakeClock } from '../../test/support/fake-clock.js';
import { CodedError } from '../support/coded-error.js';
import { toDisposable } from '../support/disposable.js';
import { captureLogger, flushLogs, type LogEntry } from './__testing__/capture-logger.js';
import { FakeMqttClient } from './__testing__/fake-mqtt-client.js';
import { settle } from './__testing__/fake-token-source.js';
import { connectWithRetry, type ConnectLoopOptions } from './connect-loop.js';
import type { OpenedClient } from './mqtt-connect-attempt.js';
import { RateLimitedLog } from './rate-limited-log.js';

const notReady = (): CodedError =>
  new CodedError('cloud_not_ready', 'Owl Cloud is not ready (HTTP 503)', {
    details: { status: 503, deviceId: 'device-1', retryAfterMs: 5_000 },
  });
const unreachable = (): CodedError =>
  new CodedError('cloud_unreachable', 'Cannot reach Owl Cloud', { details: {} });
const rejected = (): CodedError =>
  new CodedError('token_rejected', 'Owl Cloud rejected the token request; re-link this printer', {
    details: { status: 401 },
  });
const refused = (): CodedError =>
  new CodedError('connect_refused', 'Broker refused the connection', {
    details: { reasonCode: 136 },
  });

interface Loop {
  clock: FakeClock;
  attemptTimes: number[];
  gateCalls: () => number;
  entries: LogEntry[];
  announceToken: () => void;
  result: Promise<OpenedClient | null>;
}

const aborts: AbortController[] = [];

afterEach(async () => {
  for (const abort of aborts.splice(0)) abort.abort();
  await settle();
});

/** Runs the loop with attempts that fail with `failures` in turn, then succeed. */
function runLoop(failures: (() => unknown)[]): Loop {
  const clock = new FakeClock();
  const { logger, entries } = captureLogger();
  const attemptTimes: number[] = [];
  const tokenListeners = new Set<() => void>();
  let gateCalls = 0;
  const connack: IConnackPacket = { cmd: 'connack', reasonCode: 0, sessionPresent: false };
  const options: ConnectLoopOptions = {
    open: () => {
      const failure = failures[attemptTimes.length];
      attemptTimes.push(clock.monotonic());
      if (failure) return Promise.reject(failure());
      return Promise.resolve({ client: new FakeMqttClient('mqtt://broker.test', {}), connack });
    },
    prepare: () => Promise.resolve(true),
    clock,
    log: new RateLimitedLog(logger, clock),
    schedule: { random: () => 0 },
    gate: () => {
      gateCalls += 1;
      return Promise.resolve();
    },
    onTokenIssued: (listener) => {
      tokenListeners.add(listener);
      return toDisposable(() => tokenListeners.delete(listener));
    },
  };
  const abort = new AbortController();
  aborts.push(abort);
  return {
    clock,
    attemptTimes,
    gateCalls: () => gateCalls,
    entries,
    announceToken: () => {
      for (const listener of [...tokenListeners]) listener();
    },
    result: connectWithRetry(options, abort.signal),
  };
}

describe('connectWithRetry', () => {
  describe('transient token failures', () => {
    it('waits the Retry-After delay, not less', async () => {
      const loop = runLoop([notReady, notReady]);
      await settle();

      await loop.clock.advanceAsync(4_999);
      expect(loop.attemptTimes).toEqual([0]);
      await loop.clock.advanceAsync(1);
      await loop.clock.advanceAsync(5_000);

      expect(await loop.result).not.toBeNull();
      expect(loop.attemptTimes).toEqual([0, 5_000, 10_000]);
    });

    it('keeps retrying every 5 s for ten minutes', async () => {
      const loop = runLoop(Array.from({ length: 120 }, () => notReady));
      await settle();

      for (let step = 0; step < 120; step += 1) await loop.clock.advanceAsync(5_000);

      expect(await loop.result).not.toBeNull();
      expect(loop.attemptTimes).toHaveLength(121);
      expect(loop.attemptTimes.at(-1)).toBe(600_000);
    });

    it('logs each failure in one line', async () => {
      const loop = runLoop([notReady]);
      await settle();
      await loop.clock.advanceAsync(5_000);
      await loop.result;
      await flushLogs();

      const lines = loop.entries.map((entry) => [entry.level, entry.msg]);
      expect(lines).toEqual([
        [40, 'Owl Cloud is not ready for this device yet (HTTP 503); retrying in 5 s'],
      ]);
      expect(loop.entries[0]).toMatchObject({ status: 503, retryAfterMs: 5_000, retryInMs: 5_000 });
    });
  });

  describe('lasting token failures', () => {
    it('backs off on the usual schedule after a 401', async () => {
      const loop = runLoop([rejected, rejected, rejected]);
      await settle();

      await loop.clock.advanceAsync(500);
      await loop.clock.advanceAsync(1_000);
      await loop.clock.advanceAsync(2_000);

      expect(await loop.result).not.toBeNull();
      expect(loop.attemptTimes).toEqual([0, 500, 1_500, 3_500]);
      await flushLogs();
      const failed = loop.entries.filter((entry) => entry.msg === 'connect attempt failed');
      expect(failed[0]).toMatchObject({
        code: 'token_rejected',
        error: 'Owl Cloud rejected the token request; re-link this printer',
      });
    });
  });

  describe('new tokens', () => {
    it('end the wait after a failed token request', async () => {
      const loop = runLoop(Array.from({ length: 11 }, () => unreachable));
      await settle();
      // Ten doubling waits, shortened by half with this jitter, lead to the 450 s wait.
      for (const waitMs of [500, 1_000, 2_000, 4_000, 8_000, 15_000, 15_000, 15_000, 15_000]) {
        await loop.clock.advanceAsync(waitMs);
      }
      await loop.clock.advanceAsync(15_000);
      expect(loop.attemptTimes).toHaveLength(11);
      const gateCallsBefore = loop.gateCalls();

      await loop.clock.advanceAsync(60_000);
      expect(loop.attemptTimes).toHaveLength(11);
      loop.announceToken();
      await settle();

      expect(await loop.result).not.toBeNull();
      expect(loop.attemptTimes).toHaveLength(12);
      expect(loop.attemptTimes.at(-1)).toBe(loop.clock.monotonic());
      expect(loop.gateCalls()).toBe(gateCallsBefore + 1);
    });

    it('do not end the wait after a broker failure', async () => {
      const loop = runLoop([refused]);
      await settle();

      loop.announceToken();
      await settle();

      expect(loop.attemptTimes).toEqual([0]);
      await loop.clock.advanceAsync(500);
      expect(await loop.result).not.toBeNull();
      expect(loop.attemptTimes).toEqual([0, 500]);
    });
  });
});
