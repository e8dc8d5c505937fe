import type { Logger } from '../support/logger.js';
import { toDisposable, type Disposable } from '../support/disposable.js';

/**
 * A list of callbacks for one event. A callback that throws is logged and does not keep the
 * others from running.
 */
export class ListenerSet<Args extends unknown[]> {
  private readonly listeners = new Set<(...args: Args) => void>();

  constructor(
    private readonly logger: Logger,
    private readonly eventName: string,
  ) {}

  get size(): number {
    return this.listeners.size;
  }

  add(listener: (...args: Args) => void): Disposable {
    this.listeners.add(listener);
    return toDisposable(() => this.listeners.delete(listener));
  }

  emit(...args: Args): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(...args);
      } catch (error) {
        this.logger.error({ err: error, event: this.eventName }, 'event listener threw');
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}
