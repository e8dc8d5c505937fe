import type { Logger } from './logger.js';
import { toDisposable, type Disposable } from './disposable.js';

/**
 * Listeners of one event, called synchronously in the order they were added. A listener that
 * throws is reported to `onListenerError` and the others still run, so one faulty subscriber
 * cannot break the component that emits.
 */
export class ListenerSet<Args extends unknown[]> {
  private readonly listeners = new Set<(...args: Args) => void>();

  constructor(private readonly onListenerError: (error: unknown) => void) {}

  get size(): number {
    return this.listeners.size;
  }

  add(listener: (...args: Args) => void): Disposable {
    const entry = (...args: Args): void => listener(...args);
    this.listeners.add(entry);
    return toDisposable(() => this.listeners.delete(entry));
  }

  emit(...args: Args): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(...args);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}

/** Returns an error callback that logs a throwing listener of `eventName`. */
export function logListenerErrors(logger: Logger, eventName: string): (error: unknown) => void {
  return (error) => logger.error({ err: error, event: eventName }, 'An event listener threw');
}
