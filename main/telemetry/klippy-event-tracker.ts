import type { BusinessEvent } from '../../shared/contract/events.js';
import type { BusinessEventFactory } from './business-event-factory.js';
import { textField, webhooksState } from './state-fields.js';
import type { StateReader } from './state-store.js';

/**
 * Klippy events from `webhooks.state`, which includes the values the store synthesises from
 * Klippy notifications. Moonraker reports `notify_klippy_disconnected` as a shutdown there, so a
 * firmware restart from ready yields `klippy:shutdown` and then `klippy:ready`.
 */

const RECOVERABLE_STATES: ReadonlySet<string> = new Set(['error', 'shutdown', 'startup']);

export class KlippyEventTracker {
  private previous: string | undefined;

  constructor(
    private readonly state: StateReader,
    private readonly events: BusinessEventFactory,
  ) {}

  /** Returns the events of a `webhooks.state` change since the last call; unknown is skipped. */
  detect(): BusinessEvent[] {
    const current = webhooksState(this.state);
    const previous = this.previous;
    if (current === undefined || current === previous) return [];
    this.previous = current;

    const event = this.eventFor(previous, current);
    return event ? [event] : [];
  }

  private eventFor(previous: string | undefined, current: string): BusinessEvent | undefined {
    const stateMessage = textField(this.state.get('webhooks'), 'state_message');
    switch (current) {
      case 'error':
        return this.events.create('klippy:error', {
          message: stateMessage
            ? `Klippy error: ${firstLine(stateMessage)}`
            : 'Klippy entered error state',
          data: { stateMessage },
        });
      case 'shutdown':
        return this.events.create('klippy:shutdown', {
          message: stateMessage ? `Klippy shutdown: ${firstLine(stateMessage)}` : 'Klippy shutdown',
          data: { stateMessage },
        });
      case 'ready':
        if (previous === undefined || !RECOVERABLE_STATES.has(previous)) return undefined;
        return this.events.create('klippy:ready', {
          message: 'Klippy ready',
          data: { previousState: previous },
        });
      default:
        if (previous !== 'ready') return undefined;
        return this.events.create('klippy:disconnected', {
          message: 'Klippy disconnected',
          data: { previousState: previous },
        });
    }
  }
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0]?.trim() ?? text;
}
