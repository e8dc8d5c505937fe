import { describeIssues } from './issue-message.js';
import {
  controlEvents,
  isControlEvent,
  type ControlEventData,
  type ControlEventName,
} from './events.js';

type Listener = (data: never) => void;

/**
 * Listeners of the control client by event name. Event data is validated against the event's
 * schema before any listener receives it, and a listener that throws does not stop the others.
 */
export class ControlEventListeners {
  private readonly listeners = new Map<ControlEventName, Set<Listener>>();

  constructor(private readonly reportError: (message: string, cause?: unknown) => void) {}

  add<E extends ControlEventName>(
    event: E,
    listener: (data: ControlEventData<E>) => void,
  ): () => void {
    const set = this.listeners.get(event) ?? new Set<Listener>();
    this.listeners.set(event, set);
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  /** Validates an event from the service and passes it to that event's listeners. */
  emit(event: string, data: unknown): void {
    if (!isControlEvent(event)) {
      this.reportError(`The control API sent an unknown event ${JSON.stringify(event)}`);
      return;
    }
    const set = this.listeners.get(event);
    if (!set || set.size === 0) return;

    const checked = controlEvents[event].safeParse(data);
    if (!checked.success) {
      const problems = describeIssues(checked.error.issues);
      this.reportError(`The control API sent an invalid ${event} event: ${problems}`);
      return;
    }
    for (const listener of [...set]) this.call(event, listener, checked.data);
  }

  clear(): void {
    this.listeners.clear();
  }

  private call(event: ControlEventName, listener: Listener, data: unknown): void {
    try {
      (listener as (data: unknown) => void)(data);
    } catch (error) {
      this.reportError(`A listener of the ${event} event threw`, error);
    }
  }
}
