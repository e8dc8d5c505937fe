import { downOnlyJitter } from '../../support/backoff.js';

export interface RestartBackoffOptions {
  /** First wait after a crash, in milliseconds; 1 000 by default. */
  initialMs?: number;
  /** Cap of the doubling waits, in milliseconds; 300 000 (5 min) by default. */
  maxMs?: number;
  /** Share of each wait that jitter may cut off, 0 to 1; 0.5 by default. */
  jitterRatio?: number;
  /** How long a bridge must stay running before the next crash counts as the first, in ms. */
  healthyResetMs?: number;
}

export const DEFAULT_HEALTHY_RESET_MS = 10 * 60_000;

/**
 * Waits before restarting a crashed bridge: 1 s, 2 s, 4 s… doubling up to 5 min, each cut by up
 * to half at random so that printers that crashed together restart apart. The owner calls
 * `reset` once a bridge has run for `healthyResetMs`.
 */
export class RestartBackoff {
  private crashes = 0;
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly jitterRatio: number;

  constructor(
    options: RestartBackoffOptions = {},
    private readonly random: () => number = Math.random,
  ) {
    this.initialMs = Math.max(1, options.initialMs ?? 1_000);
    this.maxMs = Math.max(this.initialMs, options.maxMs ?? 300_000);
    this.jitterRatio = options.jitterRatio ?? 0.5;
  }

  /** Crashes since the last reset. */
  get count(): number {
    return this.crashes;
  }

  /** Records a crash and returns the wait before the restart, in milliseconds. */
  nextDelayMs(): number {
    const nominal = Math.min(this.maxMs, this.initialMs * 2 ** Math.min(this.crashes, 30));
    this.crashes += 1;
    return Math.round(downOnlyJitter(nominal, this.jitterRatio, this.random));
  }

  reset(): void {
    this.crashes = 0;
  }
}
