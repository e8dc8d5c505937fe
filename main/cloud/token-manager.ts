import { downOnlyJitter } from '../support/backoff.js';
import type { Clock, TimerHandle } from '../support/clock.js';
import { CodedError } from '../support/coded-error.js';
import type { Disposable } from '../support/disposable.js';
import type { Logger } from '../support/logger.js';
import type { FetchLike } from './cloud-request.js';
import type { DeviceKey } from './device-key.js';
import { ListenerSet, logListenerErrors } from '../support/listener-set.js';
import {
  NEAR_EXPIRY_SECONDS,
  RETRY_EXPIRED_SECONDS,
  renewalDelaySeconds,
  renewalRetryDelaySeconds,
} from './renewal-schedule.js';
import { jitterAbove } from './retry-after.js';
import { TokenClient, type IssuedToken } from './token-client.js';
import { transientTokenFailureOf } from './token-failure.js';
import { TokenRequestLog, type TokenIssueReason } from './token-request-log.js';
import type { TokenSource } from './token-source.js';

export type { TokenIssueReason } from './token-request-log.js';

export interface TokenRenewal {
  accessToken: string;
  lifetimeSeconds: number;
  reason: 'scheduled' | 'retry';
}

export interface RenewalFailure {
  /** Consecutive failed token requests, this one included. */
  failures: number;
  retryInMs: number;
  error: unknown;
}

export interface TokenManagerOptions {
  baseUrl: string;
  deviceId: string;
  key: DeviceKey;
  clock: Clock;
  logger: Logger;
  fetch?: FetchLike;
  /** Source of the retry jitter, uniform in [0, 1). */
  random?: () => number;
  requestTimeoutMs?: number;
  /** Share of a retry delay that jitter may take off, so a fleet does not retry in step. */
  retryJitterRatio?: number;
}

/** Renewal schedule states. Only `start()` leaves `stopped`. */
type RenewalState = 'stopped' | 'waiting' | 'renewing' | 'retry_waiting' | 'disposed';

const TRANSITIONS: Readonly<Record<RenewalState, readonly RenewalState[]>> = {
  stopped: ['waiting', 'renewing', 'disposed'],
  waiting: ['waiting', 'renewing', 'disposed'],
  renewing: ['waiting', 'retry_waiting', 'disposed'],
  retry_waiting: ['waiting', 'renewing', 'disposed'],
  disposed: [],
};

/**
 * Holds one device's JWT in memory and renews it before it expires. Renewal is scheduled on the
 * monotonic clock from the moment a token response arrived, so a wrong wall clock cannot move
 * it. Concurrent requests for a new token share one HTTP request. Tokens are never logged.
 */
export class TokenManager implements TokenSource, Disposable {
  readonly deviceId: string;
  private readonly client: TokenClient;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly random: () => number;
  private readonly retryJitterRatio: number;
  private readonly log: TokenRequestLog;
  private readonly renewed: ListenerSet<[TokenRenewal]>;
  private readonly renewalFailed: ListenerSet<[RenewalFailure]>;
  private readonly issued: ListenerSet<[]>;
  private state: RenewalState = 'stopped';
  private token: IssuedToken | undefined;
  private inflight: Promise<IssuedToken> | undefined;
  private inflightAbort: AbortController | undefined;
  private timer: TimerHandle | undefined;
  private failures = 0;

  constructor(options: TokenManagerOptions) {
    this.deviceId = options.deviceId;
    this.client = new TokenClient(options);
    this.clock = options.clock;
    // The bridge's logger already binds the device id, and pino would write a second binding.
    const deviceBound = options.logger.bindings()['deviceId'] !== undefined;
    this.logger = options.logger.child({
      component: 'token-manager',
      ...(deviceBound ? {} : { deviceId: options.deviceId }),
    });
    this.random = options.random ?? Math.random;
    this.retryJitterRatio = options.retryJitterRatio ?? 0.2;
    this.log = new TokenRequestLog(this.logger, this.clock);
    this.renewed = new ListenerSet(logListenerErrors(this.logger, 'token renewed'));
    this.renewalFailed = new ListenerSet(logListenerErrors(this.logger, 'token renewal failed'));
    this.issued = new ListenerSet(logListenerErrors(this.logger, 'token issued'));
  }

  /** Consecutive failed token requests since the last token was issued. */
  get renewalFailures(): number {
    return this.failures;
  }

  /** Returns the remaining lifetime of the held token (negative once expired), or null. */
  secondsUntilExpiry(): number | null {
    if (!this.token) return null;
    const expiresAt = this.token.receivedAtMonotonicMs + this.token.lifetimeSeconds * 1000;
    return (expiresAt - this.clock.monotonic()) / 1000;
  }

  /** Resolves with the held token, issuing a new one when none is held or it expires within 120 s. */
  async current(): Promise<string> {
    this.assertNotDisposed();
    const remaining = this.secondsUntilExpiry();
    if (this.token && remaining !== null && remaining > NEAR_EXPIRY_SECONDS) {
      return this.token.accessToken;
    }
    const token = await this.request(this.token ? 'near_expiry' : 'initial');
    return token.accessToken;
  }

  /** Issues a new token now, sharing a request already in flight. */
  async refresh(): Promise<string> {
    this.assertNotDisposed();
    const token = await this.request('requested');
    return token.accessToken;
  }

  /**
   * Calls `listener` when a scheduled renewal or its retry replaced the held token. Tokens from
   * `current()` and `refresh()` do not count, and neither does the first token.
   */
  onRenewed(listener: (renewal: TokenRenewal) => void): Disposable {
    return this.renewed.add(listener);
  }

  /** Calls `listener` after each failed scheduled renewal, with the delay until its retry. */
  onRenewalFailed(listener: (failure: RenewalFailure) => void): Disposable {
    return this.renewalFailed.add(listener);
  }

  /**
   * Calls `listener` after every token the manager accepted, whichever call requested it. A
   * connection that waits after a failed token request uses it to connect at once.
   */
  onIssued(listener: () => void): Disposable {
    return this.issued.add(listener);
  }

  /** Starts the renewal schedule, issuing the first token now when none is held. Idempotent. */
  start(): void {
    if (this.state !== 'stopped') return;
    if (this.token) this.scheduleRenewal(this.token);
    else this.renew('initial');
  }

  dispose(): void {
    if (this.state === 'disposed') return;
    this.transition('disposed');
    this.clearTimer();
    this.inflightAbort?.abort(disposedError());
    this.renewed.clear();
    this.renewalFailed.clear();
    this.issued.clear();
  }

  private request(reason: TokenIssueReason): Promise<IssuedToken> {
    if (this.inflight) return this.inflight;

    const abort = new AbortController();
    const flight = this.client.requestToken(abort.signal).then(
      (token) => {
        this.settleInflight(flight);
        this.accept(token, reason);
        return token;
      },
      (error: unknown) => {
        this.settleInflight(flight);
        this.recordFailure(error, reason);
        throw error;
      },
    );
    this.inflight = flight;
    this.inflightAbort = abort;
    return flight;
  }

  private settleInflight(flight: Promise<IssuedToken>): void {
    if (this.inflight !== flight) return;
    this.inflight = undefined;
    this.inflightAbort = undefined;
  }

  private accept(token: IssuedToken, reason: TokenIssueReason): void {
    if (this.state === 'disposed') return;
    const replaced = this.token !== undefined;
    this.token = token;
    this.failures = 0;
    this.log.issued(token, reason);
    if (this.state !== 'stopped') this.scheduleRenewal(token);
    if (replaced && (reason === 'scheduled' || reason === 'retry')) {
      this.renewed.emit({
        accessToken: token.accessToken,
        lifetimeSeconds: token.lifetimeSeconds,
        reason,
      });
    }
    this.issued.emit();
  }

  private recordFailure(error: unknown, reason: TokenIssueReason): void {
    if (this.state === 'disposed') return;
    this.failures += 1;
    this.log.failed(error, reason, this.failures);
  }

  private renew(reason: 'initial' | 'scheduled' | 'retry'): void {
    this.transition('renewing');
    this.request(reason).catch((error: unknown) => {
      if (this.state !== 'renewing') return;
      this.scheduleRetry(error);
    });
  }

  private scheduleRenewal(token: IssuedToken): void {
    const delayMs =
      renewalDelaySeconds(token.lifetimeSeconds) * 1000 -
      (this.clock.monotonic() - token.receivedAtMonotonicMs);
    this.setTimer(delayMs, () => this.renew('scheduled'));
    this.transition('waiting');
    this.logger.debug({ renewInSeconds: Math.round(delayMs / 1000) }, 'token renewal scheduled');
  }

  private scheduleRetry(error: unknown): void {
    const retryInMs = this.retryDelayMs(error);
    this.setTimer(retryInMs, () => this.renew('retry'));
    this.transition('retry_waiting');
    this.log.retryScheduled(error, retryInMs, this.token !== undefined);
    this.renewalFailed.emit({ failures: this.failures, retryInMs, error });
  }

  /** Returns the renewal retry delay, never shorter than a delay that the server requested. */
  private retryDelayMs(error: unknown): number {
    const nominalMs = renewalRetryDelaySeconds(this.failures, this.secondsUntilExpiry()) * 1000;
    const scheduledMs = downOnlyJitter(
      nominalMs,
      this.retryJitterRatio,
      this.random,
      RETRY_EXPIRED_SECONDS * 1000,
    );
    const retryAfterMs = transientTokenFailureOf(error)?.retryAfterMs;
    if (retryAfterMs === undefined) return scheduledMs;
    return Math.max(scheduledMs, jitterAbove(retryAfterMs, this.random));
  }

  private setTimer(delayMs: number, callback: () => void): void {
    this.clearTimer();
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      if (this.state !== 'disposed') callback();
    }, delayMs);
  }

  private clearTimer(): void {
    if (this.timer === undefined) return;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private transition(next: RenewalState): void {
    if (!TRANSITIONS[this.state].includes(next)) {
      throw new Error(`Token renewal cannot go from ${this.state} to ${next}`);
    }
    this.state = next;
  }

  private assertNotDisposed(): void {
    if (this.state === 'disposed') throw disposedError();
  }
}

function disposedError(): CodedError {
  return new CodedError('token_manager_disposed', 'The token manager was disposed');
}
