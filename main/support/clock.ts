/**
 * Time source and timers, injected everywhere so tests can drive time. `now()` is wall-clock epoch
 * milliseconds; `monotonic()` is milliseconds that never jump backwards, for deadlines and intervals.
 */
export interface Clock {
  now(): number;
  monotonic(): number;
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export interface TimerHandle {
  readonly id: unknown;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
  setTimeout(callback, delayMs) {
    // Not unref'd: a service whose reconnects are all waiting on timers must stay alive.
    const id = setTimeout(callback, Math.max(0, delayMs));
    return { id };
  },
  clearTimeout(handle) {
    clearTimeout(handle.id as NodeJS.Timeout);
  },
};

/** Resolves after `delayMs` on the given clock, or rejects with the signal's reason when aborted. */
export function delay(clock: Clock, delayMs: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clock.clearTimeout(handle);
      reject(signal?.reason);
    };
    const handle = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, delayMs);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Waits for `promise` to settle, but at most `timeoutMs`; never rejects. */
export async function settleWithin(
  clock: Clock,
  promise: Promise<unknown>,
  timeoutMs: number,
): Promise<void> {
  const controller = new AbortController();
  const timeout = delay(clock, timeoutMs, controller.signal).catch(() => undefined);
  await Promise.race([promise.catch(() => undefined), timeout]);
  controller.abort();
}
