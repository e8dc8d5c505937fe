/**
 * Values a test waits on. `waitFor` checks what already arrived and then every new arrival, so
 * values emitted back to back are never missed, as they can be between two `once` calls.
 */
export class EventLog<T> {
  readonly items: T[] = [];
  private readonly waiters = new Set<(item: T) => void>();

  readonly push = (item: T): void => {
    this.items.push(item);
    for (const waiter of [...this.waiters]) waiter(item);
  };

  /** Resolves with the first item, arrived or arriving, that `accept` takes. */
  waitFor(accept: (item: T) => boolean): Promise<T> {
    const arrived = this.items.find(accept);
    if (arrived !== undefined) return Promise.resolve(arrived);
    return this.waitForNext(accept);
  }

  /** Like `waitFor`, but only for items arriving after the call. */
  waitForNext(accept: (item: T) => boolean): Promise<T> {
    return new Promise((resolve) => {
      const waiter = (item: T): void => {
        if (!accept(item)) return;
        this.waiters.delete(waiter);
        resolve(item);
      };
      this.waiters.add(waiter);
    });
  }
}
