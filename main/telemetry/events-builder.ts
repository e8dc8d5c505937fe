import type { EventsPayload } from '../../shared/contract/events.js';
import type { EventLimiter } from './event-limiter.js';

export interface EventsCadenceSettings {
  /** `telemetry_cadence.events_max_per_second`, echoed in the body. */
  maxPerSecond: number;
  /** `telemetry_cadence.events_max_per_minute`, echoed in the body. */
  maxPerMinute: number;
}

export const DEFAULT_EVENTS_CADENCE: Readonly<EventsCadenceSettings> = Object.freeze({
  maxPerSecond: 1,
  maxPerMinute: 20,
});

/**
 * Builds the events channel body from what the limiter lets through. Every body carries the
 * `cadence` block. Its numbers echo the configured settings for the cloud and are not the limits
 * that the limiter applies.
 */
export class EventsBuilder {
  private cadence: EventsCadenceSettings;

  constructor(
    private readonly limiter: EventLimiter,
    cadence: Partial<EventsCadenceSettings> = {},
  ) {
    this.cadence = mergeCadence(DEFAULT_EVENTS_CADENCE, cadence);
  }

  setCadence(cadence: Partial<EventsCadenceSettings>): void {
    this.cadence = mergeCadence(this.cadence, cadence);
  }

  /** Harvests the limiter, or returns undefined when nothing may be published now. */
  build(): EventsPayload | undefined {
    const items = this.limiter.harvest();
    if (items.length === 0) return undefined;
    return { cadence: { ...this.cadence }, items };
  }
}

function mergeCadence(
  base: EventsCadenceSettings,
  update: Partial<EventsCadenceSettings>,
): EventsCadenceSettings {
  return {
    maxPerSecond: update.maxPerSecond ?? base.maxPerSecond,
    maxPerMinute: update.maxPerMinute ?? base.maxPerMinute,
  };
}
