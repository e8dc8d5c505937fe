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

/**
 * Maximum delay of one Node.js timer, in ms. Node fires a longer timer after 1 ms instead and
 * prints a TimeoutOverflowWarning, because it stores the delay as a signed 32-bit integer.
 */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/** Returns the part of `remainingMs` that one Node.js timer can wait: 0 to MAX_TIMER_DELAY_MS. */
export function timerStepMs(remainingMs: number): number {
  if (Number.isNaN(remainingMs)) return 0;
  return Math.min(MAX_TIMER_DELAY_MS, Math.max(0, remainingMs));
}

export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
  setTimeout(callback, delayMs) {
    // A delay above MAX_TIMER_DELAY_MS runs as a chain of timers, each within the limit, so that
    // the callback still runs after the whole delay. `id` is always the pending timer of the chain.
    const handle: { id: NodeJS.Timeout | undefined } = { id: undefined };
    const arm = (remainingMs: number): void => {
      const stepMs = timerStepMs(remainingMs);
      // Not unref'd: a service whose reconnects are all waiting on timers must stay alive.
      handle.id = setTimeout(() => {
        if (remainingMs > stepMs) arm(remainingMs - stepMs);
        else callback();
      }, stepMs);
    };
    arm(delayMs);
    return handle;
  },
  clearTimeout(handle) {
    clearTimeout(handle.id as NodeJS.Timeout | undefined);
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
