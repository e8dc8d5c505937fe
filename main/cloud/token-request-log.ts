import type { Clock } from '../support/clock.js';
import { CodedError, errorMessage } from '../support/coded-error.js';
import { LogRateLimiter, type Logger } from '../support/logger.js';
import type { IssuedToken } from './token-client.js';
import { transientTokenFailureOf } from './token-failure.js';

/** Why a token was requested: the first one, before use, on demand, on schedule, or a retry. */
export type TokenIssueReason = 'initial' | 'near_expiry' | 'requested' | 'scheduled' | 'retry';

/** From this many consecutive failures on, lines log at `fatal`, pino's level for critical. */
const CRITICAL_FAILURE_COUNT = 3;
const SKEW_WARNING_SECONDS = 60;

/**
 * The log lines of one device's token manager. Repeated failures are rate limited, and no line
 * carries a token.
 */
export class TokenRequestLog {
  private readonly failureLimiter: LogRateLimiter;

  constructor(
    private readonly logger: Logger,
    clock: Clock,
  ) {
    this.failureLimiter = new LogRateLimiter(10 * 60_000, 5, () => clock.monotonic());
  }

  issued(token: IssuedToken, reason: TokenIssueReason): void {
    this.warnOnSkew(token);
    this.logger.info({ reason, lifetimeSeconds: token.lifetimeSeconds }, 'device token issued');
  }

  /**
   * Logs a failed token request. A transient failure is logged by the code that schedules its
   * retry instead, once and with the delay.
   */
  failed(error: unknown, reason: TokenIssueReason, failures: number): void {
    if (transientTokenFailureOf(error)) return;
    const suppressed = this.failureLimiter.admit('token request failed');
    if (suppressed === null) return;

    const fields = {
      reason,
      failures,
      code: error instanceof CodedError ? error.code : undefined,
      error: errorMessage(error),
      ...(suppressed > 0 ? { suppressed } : {}),
    };
    if (failures >= CRITICAL_FAILURE_COUNT) {
      this.logger.fatal(fields, 'device token requests keep failing');
    } else {
      this.logger.error(fields, 'device token request failed');
    }
  }

  /**
   * Logs the retry of a failed renewal. A transient failure gets one warning while a token is
   * held. Without a token the MQTT connection is down, and its connect loop, which requests
   * tokens too, logs the failure instead.
   */
  retryScheduled(error: unknown, retryInMs: number, tokenHeld: boolean): void {
    const retryInSeconds = Math.ceil(retryInMs / 1000);
    this.logger.debug({ retryInSeconds }, 'token renewal retry scheduled');
    const transient = transientTokenFailureOf(error);
    if (!transient || !tokenHeld) return;
    const suppressed = this.failureLimiter.admit('transient token failure');
    if (suppressed === null) return;

    const fields = { status: transient.status, ...(suppressed > 0 ? { suppressed } : {}) };
    this.logger.warn(fields, `${transient.summary}; retrying in ${retryInSeconds} s`);
  }

  private warnOnSkew(token: IssuedToken): void {
    const skewSeconds = Math.round((token.receivedAtMs - token.issuedAtMs) / 1000);
    if (Math.abs(skewSeconds) <= SKEW_WARNING_SECONDS) return;
    this.logger.warn(
      { skewSeconds, issuedAt: new Date(token.issuedAtMs).toISOString() },
      "this computer's clock differs from Owl Cloud's; renewal still follows the token lifetime, but token requests may be rejected",
    );
  }
}
