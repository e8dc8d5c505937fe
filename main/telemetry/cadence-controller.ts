import type { Clock, TimerHandle } from '../support/clock.js';
import { errorMessage } from '../support/coded-error.js';
import type { Disposable } from '../support/disposable.js';
import { LogRateLimiter, silentLogger } from '../support/logger.js';
import type { Logger } from '../support/logger.js';
import {
  buildDelayMs,
  CADENCE_CHANNELS,
  decideOffer,
  resolveCadenceSettings,
  scheduleFor,
} from './cadence-policy.js';
import type {
  CadenceChannel,
  CadenceDecision,
  ChannelSchedule,
  CadenceSettings,
  ChannelCadenceState,
} from './cadence-policy.js';

export type PublishCallback<Body> = (channel: CadenceChannel, body: Body) => void;

/** A body with the key that the dedup compares. */
export interface KeyedBody<Body> {
  body: Body;
  changeKey: string;
}

/** Builds a channel's current body, called only when the channel may publish it. */
export type BodySource<Body> = () => KeyedBody<Body>;

export interface CadenceControllerOptions<Body> {
  clock: Clock;
  publish: PublishCallback<Body>;
  settings?: Partial<CadenceSettings>;
  logger?: Logger;
}

interface ChannelSlot<Body> {
  state: ChannelCadenceState;
  latest?: KeyedBody<Body>;
  /** Builds the body on demand, as given to `offerWhenDue`. */
  source?: BodySource<Body>;
  /** The body the source would build now may differ from `latest`. */
  stale: boolean;
  /** When the last build gave a body equal to the published one (monotonic ms). */
  unchangedBuildAt?: number;
  deferral?: TimerHandle;
  heartbeat?: TimerHandle;
}

/** The longest wait before a body is built again after a build that found nothing new. */
const UNCHANGED_RECHECK_MS = 1000;

/** Channels whose first publish after a reset goes out even when unchanged. */
const FORCED_AFTER_RESET: readonly CadenceChannel[] = ['status', 'sensors'];

/**
 * Decides per channel whether an offered body is published now, deferred or dropped, and runs
 * the timers for deferred publishes and the status heartbeat. It never polls, and each channel
 * has at most one deferral timer and one heartbeat timer. A deferred channel publishes the latest
 * offered body when its window opens.
 */
export class CadenceController<Body = Readonly<Record<string, unknown>>> implements Disposable {
  private readonly clock: Clock;
  private readonly publish: PublishCallback<Body>;
  private readonly logger: Logger;
  private readonly errorLog: LogRateLimiter;
  private settings: CadenceSettings;
  private readonly slots = new Map<CadenceChannel, ChannelSlot<Body>>();
  private disposed = false;

  constructor(options: CadenceControllerOptions<Body>) {
    this.clock = options.clock;
    this.publish = options.publish;
    this.logger = (options.logger ?? silentLogger).child({ component: 'cadence' });
    this.errorLog = new LogRateLimiter(60_000, 3, () => this.clock.monotonic());
    this.settings = resolveCadenceSettings(options.settings);
    this.reset();
  }

  get currentSettings(): Readonly<CadenceSettings> {
    return this.settings;
  }

  /**
   * Offers the channel's latest body. `changeKey` is what the dedup compares, and it defaults to
   * the body's JSON. Returns the decision, which has already been carried out.
   */
  offer(channel: CadenceChannel, body: Body, changeKey?: string): CadenceDecision {
    if (this.disposed) return { action: 'drop' };

    const slot = this.slot(channel);
    slot.latest = { body, changeKey: changeKey ?? JSON.stringify(body) };
    slot.source = undefined;
    slot.stale = false;
    return this.evaluate(channel, slot);
  }

  /**
   * Tells the channel that its body may have changed, without building it. `source` runs once
   * the channel may publish: at once when its min interval has passed, else when the interval
   * ends. A heartbeat builds a fresh body too. Returns the decision, already carried out, and a
   * body that is not built yet is deferred.
   */
  offerWhenDue(channel: CadenceChannel, source: BodySource<Body>): CadenceDecision {
    if (this.disposed) return { action: 'drop' };

    const slot = this.slot(channel);
    slot.source = source;
    slot.stale = true;
    return this.evaluate(channel, slot);
  }

  /** Publishes the next body of the channel even when unchanged, still respecting its interval. */
  forceNext(channel: CadenceChannel): void {
    if (this.disposed) return;
    this.slot(channel).state.forced = true;
  }

  setSensorsInterval(seconds: number): void {
    this.configure({ sensorsIntervalSeconds: seconds });
  }

  /** Applies new settings and moves pending timers to the new schedule. */
  configure(settings: Partial<CadenceSettings>): void {
    if (this.disposed) return;
    this.settings = resolveCadenceSettings(settings, this.settings);
    for (const [channel, slot] of this.slots) {
      if (slot.deferral !== undefined) this.reschedule(channel, slot);
      if (slot.heartbeat !== undefined) this.armHeartbeat(channel, slot);
    }
  }

  /** Forgets every channel's history, as on a telemetry restart, and forces status and sensors. */
  reset(): void {
    if (this.disposed) return;
    for (const slot of this.slots.values()) this.clearTimers(slot);
    this.slots.clear();
    for (const channel of CADENCE_CHANNELS) {
      const forced = FORCED_AFTER_RESET.includes(channel);
      this.slots.set(channel, { state: { forced }, stale: false });
    }
  }

  dispose(): void {
    if (this.disposed) return;
    for (const slot of this.slots.values()) this.clearTimers(slot);
    this.slots.clear();
    this.disposed = true;
  }

  private evaluate(channel: CadenceChannel, slot: ChannelSlot<Body>): CadenceDecision {
    const schedule = scheduleFor(channel, this.settings);
    const now = this.clock.monotonic();
    const built = slot.source !== undefined && (slot.stale || slot.state.forced);
    if (slot.source && built) {
      const delayMs = this.buildDelay(slot, schedule, now);
      if (delayMs > 0) {
        if (slot.deferral === undefined) this.armDeferral(channel, slot, delayMs);
        return { action: 'defer', delayMs };
      }
      if (!this.buildLatest(channel, slot, slot.source)) return { action: 'drop' };
    }
    if (!slot.latest) return { action: 'drop' };

    const decision = decideOffer(slot.state, schedule, slot.latest.changeKey, now);
    switch (decision.action) {
      case 'publish':
        this.publishLatest(channel, slot);
        break;
      case 'defer':
        if (slot.deferral === undefined) this.armDeferral(channel, slot, decision.delayMs);
        break;
      case 'drop':
        // The latest body equals the published one again, so a pending publish has nothing new.
        this.clearDeferral(slot);
        if (built) slot.unchangedBuildAt = now;
        break;
    }
    return decision;
  }

  /**
   * How long a stale body waits before it is built. Past the min interval, a build that found
   * nothing new is not repeated for half the interval (at most a second): most Moonraker frames
   * change only fields that status leaves out, and building on each of them was the bridge's
   * largest cost. A real change therefore goes out at most that much later.
   */
  private buildDelay(slot: ChannelSlot<Body>, schedule: ChannelSchedule, now: number): number {
    const delayMs = buildDelayMs(slot.state, schedule, now);
    if (delayMs > 0 || slot.state.forced || slot.unchangedBuildAt === undefined) return delayMs;
    if (!schedule.throttled) return 0;

    const recheckMs = Math.min(UNCHANGED_RECHECK_MS, schedule.minIntervalMs / 2);
    return Math.max(0, slot.unchangedBuildAt + recheckMs - now);
  }

  /** Returns false when the source threw, which is logged like a failed publish. */
  private buildLatest(
    channel: CadenceChannel,
    slot: ChannelSlot<Body>,
    source: BodySource<Body>,
  ): boolean {
    slot.stale = false;
    try {
      slot.latest = source();
      return true;
    } catch (error) {
      this.logError(channel, 'Building the body failed', error);
      return false;
    }
  }

  private publishLatest(channel: CadenceChannel, slot: ChannelSlot<Body>): void {
    const latest = slot.latest;
    if (!latest) return;

    this.clearDeferral(slot);
    slot.state = {
      lastPublishAt: this.clock.monotonic(),
      publishedKey: latest.changeKey,
      forced: false,
    };
    this.armHeartbeat(channel, slot);
    try {
      this.publish(channel, latest.body);
    } catch (error) {
      this.logError(channel, 'Publish callback failed', error);
    }
  }

  private armDeferral(channel: CadenceChannel, slot: ChannelSlot<Body>, delayMs: number): void {
    slot.deferral = this.clock.setTimeout(() => {
      slot.deferral = undefined;
      if (this.disposed || this.slots.get(channel) !== slot) return;
      this.evaluate(channel, slot);
    }, delayMs);
  }

  /** Re-arms a pending deferral for the end of the channel's current min interval. */
  private reschedule(channel: CadenceChannel, slot: ChannelSlot<Body>): void {
    this.clearDeferral(slot);
    const { minIntervalMs } = scheduleFor(channel, this.settings);
    const elapsed = this.clock.monotonic() - (slot.state.lastPublishAt ?? 0);
    this.armDeferral(channel, slot, Math.max(0, minIntervalMs - elapsed));
  }

  /** Schedules the re-send of the latest body one heartbeat after the last publish. */
  private armHeartbeat(channel: CadenceChannel, slot: ChannelSlot<Body>): void {
    this.clearHeartbeat(slot);
    const { heartbeatMs } = scheduleFor(channel, this.settings);
    if (heartbeatMs === undefined || slot.state.lastPublishAt === undefined) return;

    const elapsed = this.clock.monotonic() - slot.state.lastPublishAt;
    slot.heartbeat = this.clock.setTimeout(
      () => {
        slot.heartbeat = undefined;
        if (this.disposed || this.slots.get(channel) !== slot) return;
        slot.state.forced = true;
        this.evaluate(channel, slot);
      },
      Math.max(0, heartbeatMs - elapsed),
    );
  }

  private slot(channel: CadenceChannel): ChannelSlot<Body> {
    let slot = this.slots.get(channel);
    if (!slot) {
      slot = { state: { forced: false }, stale: false };
      this.slots.set(channel, slot);
    }
    return slot;
  }

  private clearTimers(slot: ChannelSlot<Body>): void {
    this.clearDeferral(slot);
    this.clearHeartbeat(slot);
  }

  private clearDeferral(slot: ChannelSlot<Body>): void {
    if (slot.deferral === undefined) return;
    this.clock.clearTimeout(slot.deferral);
    slot.deferral = undefined;
  }

  private clearHeartbeat(slot: ChannelSlot<Body>): void {
    if (slot.heartbeat === undefined) return;
    this.clock.clearTimeout(slot.heartbeat);
    slot.heartbeat = undefined;
  }

  private logError(channel: CadenceChannel, message: string, error: unknown): void {
    const suppressed = this.errorLog.admit(`${channel}:${message}`);
    if (suppressed === null) return;
    this.logger.error({ channel, err: errorMessage(error), suppressed }, message);
  }
}
