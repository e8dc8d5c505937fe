import type { Clock, TimerHandle } from '../support/clock.js';

export interface KeepaliveTiming {
  /** Silence, in ms, after which a websocket ping is sent. */
  idleMs: number;
  /** Time, in ms, that the peer has to show any sign of life after the ping. */
  pongTimeoutMs: number;
}

/**
 * Detects a websocket whose peer vanished without closing it, as when a printer host loses
 * power. Any frame or pong counts as activity. After `idleMs` of silence a ping goes out, and
 * `expire` runs when nothing arrives within `pongTimeoutMs`. Only one timer runs at a time, and
 * frames only record a timestamp.
 */
export class RpcKeepalive {
  private timer: TimerHandle | null = null;
  private lastActivity = 0;
  private pingSentAt: number | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly timing: KeepaliveTiming,
    private readonly actions: { ping(): void; expire(): void },
  ) {}

  start(): void {
    this.touch();
    this.schedule(this.timing.idleMs);
  }

  touch(): void {
    this.lastActivity = this.clock.monotonic();
    this.pingSentAt = null;
  }

  stop(): void {
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(delayMs: number): void {
    this.timer = this.clock.setTimeout(() => this.check(), delayMs);
  }

  private check(): void {
    this.timer = null;
    if (this.pingSentAt !== null) {
      this.actions.expire();
      return;
    }
    const idle = this.clock.monotonic() - this.lastActivity;
    if (idle < this.timing.idleMs) {
      this.schedule(this.timing.idleMs - idle);
      return;
    }
    this.sendPing();
  }

  private sendPing(): void {
    this.pingSentAt = this.clock.monotonic();
    try {
      this.actions.ping();
    } catch {
      // The socket is already closing, and its close event ends the connection.
      return;
    }
    this.schedule(this.timing.pongTimeoutMs);
  }
}
