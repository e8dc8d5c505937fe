import { EVENT_CATALOGUE } from '../../shared/contract/events.js';
import type { BusinessEvent, CommandStateItem } from '../../shared/contract/events.js';
import type { Clock, TimerHandle } from '../support/clock.js';
import type { Disposable } from '../support/disposable.js';
import { toDisposable } from '../support/disposable.js';
import { LogRateLimiter, silentLogger } from '../support/logger.js';
import type { Logger } from '../support/logger.js';
import { TokenBucket } from './token-bucket.js';
import { WindowLimit } from './window-limit.js';

export type EventItem = CommandStateItem | BusinessEvent;

export interface EventLimiterOptions {
  clock: Clock;
  logger?: Logger;
  /** Maximum queued business events per priority. Beyond it the oldest is dropped. */
  queueLimit?: number;
  p1BurstCapacity?: number;
  p1RefillPerSecond?: number;
  p1MaxPerWindow?: number;
  p1WindowMs?: number;
}

export const EVENT_LIMITS = {
  queueLimit: 100,
  p1BurstCapacity: 10,
  p1RefillPerSecond: 2,
  p1MaxPerWindow: 30,
  p1WindowMs: 60_000,
} as const;

/**
 * Queues the items of the events channel and hands them out in harvest order: command-state
 * items, then P0 (Klippy) events, then P1 (print) events. Only P1 events are rate limited, by a
 * token bucket plus a cap per minute. P1 events over the limit stay queued, and a timer fires
 * the ready listeners once the next one may go.
 */
export class EventLimiter implements Disposable {
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly queueLimit: number;
  private readonly bucket: TokenBucket;
  private readonly window: WindowLimit;
  private readonly dropLog: LogRateLimiter;
  private readonly commandStates: CommandStateItem[] = [];
  private readonly p0: BusinessEvent[] = [];
  private readonly p1: BusinessEvent[] = [];
  private readonly readyListeners = new Set<() => void>();
  private timer: TimerHandle | undefined;
  private disposed = false;

  constructor(options: EventLimiterOptions) {
    this.clock = options.clock;
    this.logger = (options.logger ?? silentLogger).child({ component: 'event-limiter' });
    this.queueLimit = options.queueLimit ?? EVENT_LIMITS.queueLimit;
    this.bucket = new TokenBucket(
      options.p1BurstCapacity ?? EVENT_LIMITS.p1BurstCapacity,
      options.p1RefillPerSecond ?? EVENT_LIMITS.p1RefillPerSecond,
      this.clock.monotonic(),
    );
    this.window = new WindowLimit(
      options.p1MaxPerWindow ?? EVENT_LIMITS.p1MaxPerWindow,
      options.p1WindowMs ?? EVENT_LIMITS.p1WindowMs,
    );
    this.dropLog = new LogRateLimiter(60_000, 3, () => this.clock.monotonic());
  }

  /** Command-state items are never limited or dropped. */
  addCommandState(item: CommandStateItem): void {
    if (this.disposed) return;
    this.commandStates.push(item);
  }

  addEvent(event: BusinessEvent): void {
    if (this.disposed) return;
    const queue = EVENT_CATALOGUE[event.eventName].priority === 'P0' ? this.p0 : this.p1;
    queue.push(event);
    if (queue.length > this.queueLimit) this.dropOldest(queue);
  }

  /** Takes every item that may be published now, in harvest order. */
  harvest(): EventItem[] {
    const items: EventItem[] = [...this.commandStates.splice(0), ...this.p0.splice(0)];
    const now = this.clock.monotonic();
    while (this.p1.length > 0 && this.msUntilNextP1(now) === 0) {
      const event = this.p1.shift();
      if (!event) break;
      this.bucket.take(now);
      this.window.take(now);
      items.push(event);
    }
    this.armTimer(now);
    return items;
  }

  get pendingCount(): number {
    return this.commandStates.length + this.p0.length + this.p1.length;
  }

  /** Calls the listener whenever held-back P1 events may be harvested. */
  onReady(listener: () => void): Disposable {
    this.readyListeners.add(listener);
    return toDisposable(() => this.readyListeners.delete(listener));
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.clearTimer();
    this.readyListeners.clear();
    this.commandStates.length = 0;
    this.p0.length = 0;
    this.p1.length = 0;
  }

  private msUntilNextP1(now: number): number {
    return Math.max(this.bucket.msUntilAvailable(now), this.window.msUntilAvailable(now));
  }

  private armTimer(now: number): void {
    if (this.p1.length === 0 || this.timer !== undefined) return;
    this.timer = this.clock.setTimeout(() => this.onTimer(), this.msUntilNextP1(now));
  }

  private onTimer(): void {
    this.timer = undefined;
    if (this.disposed || this.p1.length === 0) return;
    for (const listener of [...this.readyListeners]) listener();
  }

  private clearTimer(): void {
    if (this.timer === undefined) return;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private dropOldest(queue: BusinessEvent[]): void {
    const dropped = queue.shift();
    const suppressed = this.dropLog.admit('queue-full');
    if (suppressed === null || !dropped) return;
    this.logger.warn(
      { eventName: dropped.eventName, eventId: dropped.eventId, suppressed },
      'Event queue is full, dropped the oldest event',
    );
  }
}
