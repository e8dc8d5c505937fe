import type { BusinessEvent } from '../../shared/contract/events.js';
import { toDisposable } from '../support/disposable.js';
import type { Disposable } from '../support/disposable.js';
import type { Logger } from '../support/logger.js';
import { BusinessEventFactory, toolchangeMessage } from './business-event-factory.js';
import { KlippyEventTracker } from './klippy-event-tracker.js';
import { PrintEventTracker } from './print-event-tracker.js';
import type { PrintStateTransition } from './print-event-tracker.js';
import type { SessionTracker } from './session-tracker.js';
import { isKlippyShutdown, textField, webhooksState } from './state-fields.js';
import type { StateReader, StoreChange } from './state-store.js';

export type PrintStateListener = (transition: PrintStateTransition) => void;

export interface EventDetectorOptions {
  state: StateReader;
  /** The session tracker, already updated with the change being detected. */
  session: Pick<SessionTracker, 'facts' | 'currentSessionId'>;
  now: () => number;
  newEventId?: () => string;
  logger?: Logger;
}

/**
 * Business events from store changes: Klippy events, print events and tool changes, in that
 * order. Nothing here resets on an MQTT reconnect. `reset()` is for a restarted Moonraker only,
 * and it keeps the announced job so that the job is not announced twice.
 */
export class EventDetector {
  private readonly state: StateReader;
  private readonly session: Pick<SessionTracker, 'facts' | 'currentSessionId'>;
  private readonly klippy: KlippyEventTracker;
  private readonly prints: PrintEventTracker;
  private readonly events: BusinessEventFactory;
  private readonly listeners = new Set<PrintStateListener>();
  private readonly logger: Logger | undefined;
  private previousExtruder: string | undefined;

  constructor(options: EventDetectorOptions) {
    this.state = options.state;
    this.session = options.session;
    this.events = new BusinessEventFactory(options);
    this.klippy = new KlippyEventTracker(options.state, this.events);
    this.prints = new PrintEventTracker(options.state, this.events);
    this.logger = options.logger?.child({ component: 'event-detector' });
  }

  /** Call after each `StateStore.apply` (and `SessionTracker.update`) with its change. */
  detect(change: StoreChange): BusinessEvent[] {
    const klippyEvents = this.klippy.detect();
    const { events: printEvents, transition } = this.prints.detect(change, this.session.facts());
    const toolEvents = this.detectToolchange();
    if (transition) this.notifyListeners(transition);
    return [...klippyEvents, ...printEvents, ...toolEvents];
  }

  /**
   * Registers a listener for every observed `print_stats.state` change, whichever event rule
   * fired on it; pause, resume and cancel commands complete from it.
   */
  onPrintStateChange(listener: PrintStateListener): Disposable {
    const registered: PrintStateListener = (transition) => listener(transition);
    this.listeners.add(registered);
    return toDisposable(() => this.listeners.delete(registered));
  }

  /**
   * Forgets the last observed print state and tool after Moonraker restarted. The announced job
   * and the Klippy state are kept.
   */
  reset(): void {
    this.prints.reset();
    this.previousExtruder = undefined;
  }

  /** The job announced by `print:started` and not yet ended, if any. */
  get openJob() {
    return this.prints.openJob;
  }

  private detectToolchange(): BusinessEvent[] {
    const current = textField(this.state.get('toolhead'), 'extruder');
    const previous = this.previousExtruder;
    if (current === undefined || current === previous) return [];
    this.previousExtruder = current;
    if (previous === undefined || !this.isKlippyReady()) return [];

    return [
      this.events.create('print:toolchange', {
        message: toolchangeMessage(previous, current),
        sessionId: this.session.currentSessionId(),
        data: { from: previous, to: current },
      }),
    ];
  }

  /** Ready, or not reported at all (a subscription without `webhooks`) and not shut down. */
  private isKlippyReady(): boolean {
    const webhooks = webhooksState(this.state);
    return !isKlippyShutdown(this.state) && (webhooks === undefined || webhooks === 'ready');
  }

  private notifyListeners(transition: PrintStateTransition): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(transition);
      } catch (error) {
        this.logger?.error({ err: error, transition }, 'A print state listener threw');
      }
    }
  }
}
