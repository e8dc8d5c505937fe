/** Times after the first failure of an outage at which a repeat is logged, in ms. */
const REPEAT_AFTER_MS = [60_000, 5 * 60_000, 15 * 60_000, 60 * 60_000];
/** Interval of the repeats after the last entry of `REPEAT_AFTER_MS`. */
const REPEAT_INTERVAL_MS = 60 * 60_000;

/** Fields of the log line of a failed attempt. */
export interface FailureLine {
  /** Failed attempts since the line before that were not logged. */
  suppressed: number;
  /** Time since the first failure of the outage, in whole milliseconds. */
  failingForMs: number;
}

/** Fields of the log line of the first success after failures. */
export interface RecoveryLine {
  failedAttempts: number;
  /** Time since the first failure of the outage, in whole milliseconds. */
  failingForMs: number;
}

interface Outage {
  startedAt: number;
  attempts: number;
  suppressed: number;
  loggedCode: string;
  /** Index into `REPEAT_AFTER_MS` of the next repeat, counting on past its end. */
  repeats: number;
}

/**
 * The log schedule of the failed connection attempts of one outage. A switched-off printer fails
 * every reconnect for hours, so only the first failure is logged at once. Repeats are logged 1,
 * 5, 15 and 60 minutes after it and then every hour, each with the number of attempts left out
 * since the line before. A failure with another code than the one logged last is logged at once.
 */
export class OutageLog {
  private outage: Outage | undefined;

  /** `now` is a monotonic time in ms. */
  constructor(private readonly now: () => number) {}

  /** Records a failed attempt and returns its log line, or null when it is not logged. */
  recordFailure(code: string): FailureLine | null {
    const now = this.now();
    const outage = this.outage;
    if (!outage) {
      this.outage = { startedAt: now, attempts: 1, suppressed: 0, loggedCode: code, repeats: 0 };
      return { suppressed: 0, failingForMs: 0 };
    }

    outage.attempts += 1;
    const failingForMs = now - outage.startedAt;
    const repeatDue = failingForMs >= repeatOffsetMs(outage.repeats);
    if (!repeatDue && code === outage.loggedCode) {
      outage.suppressed += 1;
      return null;
    }
    while (failingForMs >= repeatOffsetMs(outage.repeats)) outage.repeats += 1;
    const line = { suppressed: outage.suppressed, failingForMs: Math.round(failingForMs) };
    outage.suppressed = 0;
    outage.loggedCode = code;
    return line;
  }

  /** Ends the outage and returns its recovery line, or null when nothing had failed. */
  recordRecovery(): RecoveryLine | null {
    const outage = this.outage;
    if (!outage) return null;
    this.outage = undefined;
    const failingForMs = Math.round(this.now() - outage.startedAt);
    return { failedAttempts: outage.attempts, failingForMs };
  }
}

function repeatOffsetMs(repeats: number): number {
  const scheduled = REPEAT_AFTER_MS[repeats];
  if (scheduled !== undefined) return scheduled;
  const last = REPEAT_AFTER_MS[REPEAT_AFTER_MS.length - 1] ?? 0;
  return last + (repeats - REPEAT_AFTER_MS.length + 1) * REPEAT_INTERVAL_MS;
}
