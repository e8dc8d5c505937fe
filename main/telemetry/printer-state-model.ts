import type { BusinessEvent } from '../../shared/contract/events.js';
import type { MoonrakerInput } from '../moonraker/input.js';
import type { Logger } from '../support/logger.js';
import { EventDetector } from './event-detector.js';
import { SessionTracker } from './session-tracker.js';
import { StateStore } from './state-store.js';
import type { StoreChange } from './state-store.js';
import { StatusBuilder } from './status-builder.js';

export interface PrinterStateModelOptions {
  now: () => number;
  newEventId?: () => string;
  logger?: Logger;
  /** How long a new job waits for its file metadata before progress falls back, in ms. */
  metadataWaitMs?: number;
}

export interface IngestResult {
  change: StoreChange;
  events: BusinessEvent[];
}

/**
 * One printer's state: the store, the session tracker, the event detector and the status
 * builder, fed in the order they depend on each other.
 */
export class PrinterStateModel {
  readonly store: StateStore;
  readonly session: SessionTracker;
  readonly detector: EventDetector;
  readonly status: StatusBuilder;

  constructor(options: PrinterStateModelOptions) {
    this.store = new StateStore({ logger: options.logger, now: options.now });
    this.session = new SessionTracker(this.store, {
      now: options.now,
      metadataWaitMs: options.metadataWaitMs,
    });
    this.detector = new EventDetector({ ...options, state: this.store, session: this.session });
    this.status = new StatusBuilder({ state: this.store, session: this.session, now: options.now });
  }

  /** Applies one Moonraker input and returns what changed and the business events it caused. */
  ingest(input: MoonrakerInput): IngestResult {
    const change = this.store.apply(input);
    this.session.update(change);
    const events = this.detector.detect(change);
    return { change, events };
  }
}
