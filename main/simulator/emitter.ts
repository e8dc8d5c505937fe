import { toDisposable, type Disposable } from '../support/disposable.js';

/**
 * Listeners of one event, called synchronously in the order they were added. A listener that
 * throws is reported to `onListenerError` and the others still run.
 */
export class Emitter<T> {
  private readonly listeners = new Set<(value: T) => void>();

  constructor(private readonly onListenerError: (error: unknown) => void) {}

  get size(): number {
    return this.listeners.size;
  }

  on(listener: (value: T) => void): Disposable {
    const entry = (value: T): void => listener(value);
    this.listeners.add(entry);
    return toDisposable(() => this.listeners.delete(entry));
  }

  emit(value: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}
