import type { IConnectPacket } from 'mqtt-packet';

import type { Clock, TimerHandle } from '../../support/clock.js';
import type { Delivery, DropReason } from './outbound-flow.js';
import { BrokerSession } from './session.js';

/**
 * The will of a connection that ended. The session store hands it to `publishWill` when its delay
 * has passed or the session ends, and the message's expiry interval starts then.
 */
export interface PendingWill {
  readonly clientId: string;
  readonly will: NonNullable<IConnectPacket['will']>;
  readonly delaySeconds: number;
}

export interface SessionStoreOptions {
  clock: Clock;
  maximumQueued: number;
  publishWill: (will: PendingWill) => void;
  onDrop: (clientId: string, delivery: Delivery, reason: DropReason) => void;
}

/**
 * Sessions by client id. A session ends when its connection closes (expiry interval 0) or when
 * the expiry interval has passed with the client away. A will is published at once, after its
 * delay, or when the session ends, whichever comes first.
 */
export class SessionStore {
  private readonly sessions = new Map<string, BrokerSession>();
  private readonly expiryTimers = new Map<string, TimerHandle>();
  private readonly pendingWills = new Map<string, { will: PendingWill; timer: TimerHandle }>();

  constructor(private readonly options: SessionStoreOptions) {}

  get size(): number {
    return this.sessions.size;
  }

  get(clientId: string): BrokerSession | undefined {
    return this.sessions.get(clientId);
  }

  values(): IterableIterator<BrokerSession> {
    return this.sessions.values();
  }

  /**
   * Returns the session a connecting client continues, or a new one. A clean start ends the old
   * session, which publishes its pending will. Resuming cancels the pending will.
   */
  open(
    clientId: string,
    cleanStart: boolean,
    expirySeconds: number,
  ): { session: BrokerSession; present: boolean } {
    this.cancelExpiry(clientId);
    const existing = this.sessions.get(clientId);
    if (existing && !cleanStart) {
      this.cancelWill(clientId);
      existing.expirySeconds = expirySeconds;
      return { session: existing, present: true };
    }

    this.end(clientId);
    const session = new BrokerSession(clientId, expirySeconds, {
      maximumQueued: this.options.maximumQueued,
      monotonic: () => this.options.clock.monotonic(),
      onDrop: (delivery, reason) => this.options.onDrop(clientId, delivery, reason),
    });
    this.sessions.set(clientId, session);
    return { session, present: false };
  }

  /** Detaches the session from its closed connection and starts its expiry and will timers. */
  release(session: BrokerSession, will: PendingWill | undefined): void {
    session.owner = null;
    session.outbound.detach();
    if (this.sessions.get(session.clientId) !== session) {
      if (will) this.options.publishWill(will);
      return;
    }

    if (will) this.scheduleWill(session.clientId, will);
    if (session.expirySeconds === 0) {
      this.end(session.clientId);
      return;
    }
    const timer = this.options.clock.setTimeout(
      () => this.end(session.clientId),
      session.expirySeconds * 1000,
    );
    this.expiryTimers.set(session.clientId, timer);
  }

  /** Drops every session and timer without publishing any will, as on broker shutdown. */
  clear(): void {
    for (const timer of this.expiryTimers.values()) this.options.clock.clearTimeout(timer);
    for (const { timer } of this.pendingWills.values()) this.options.clock.clearTimeout(timer);
    this.expiryTimers.clear();
    this.pendingWills.clear();
    this.sessions.clear();
  }

  private scheduleWill(clientId: string, will: PendingWill): void {
    if (will.delaySeconds <= 0) {
      this.options.publishWill(will);
      return;
    }
    const timer = this.options.clock.setTimeout(
      () => this.publishPendingWill(clientId),
      will.delaySeconds * 1000,
    );
    this.pendingWills.set(clientId, { will, timer });
  }

  private publishPendingWill(clientId: string): void {
    const pending = this.pendingWills.get(clientId);
    if (!pending) return;
    this.cancelWill(clientId);
    this.options.publishWill(pending.will);
  }

  private end(clientId: string): void {
    this.cancelExpiry(clientId);
    this.sessions.delete(clientId);
    this.publishPendingWill(clientId);
  }

  private cancelExpiry(clientId: string): void {
    const timer = this.expiryTimers.get(clientId);
    if (timer) this.options.clock.clearTimeout(timer);
    this.expiryTimers.delete(clientId);
  }

  private cancelWill(clientId: string): void {
    const pending = this.pendingWills.get(clientId);
    if (pending) this.options.clock.clearTimeout(pending.timer);
    this.pendingWills.delete(clientId);
  }
}
