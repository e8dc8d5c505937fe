/** Retry delays. `random` is injected so tests can pin the jitter. */

export interface ExponentialBackoffOptions {
  initialMs: number;
  maxMs: number;
  random?: () => number;
}

/** Full jitter: each wait is uniform in [0, current], and the current bound doubles up to the cap. */
export class FullJitterBackoff {
  private attempt = 0;

  constructor(private readonly options: ExponentialBackoffOptions) {}

  next(): number {
    const bound = Math.min(this.options.maxMs, this.options.initialMs * 2 ** this.attempt);
    this.attempt += 1;
    return Math.floor((this.options.random ?? Math.random)() * bound);
  }

  reset(): void {
    this.attempt = 0;
  }

  get attempts(): number {
    return this.attempt;
  }
}

/**
 * Down-only jitter: each wait is uniform in [max(floor, d·(1 − ratio)), d], where d doubles from
 * the initial delay up to the cap. Never waits longer than the nominal delay.
 */
export function downOnlyJitter(
  nominalMs: number,
  ratio: number,
  random: () => number = Math.random,
  floorMs = 100,
): number {
  const clampedRatio = Math.min(1, Math.max(0, ratio));
  const low = Math.max(floorMs, nominalMs * (1 - clampedRatio));
  if (low >= nominalMs) return nominalMs;
  return low + random() * (nominalMs - low);
}
