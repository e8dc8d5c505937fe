/**
 * A list that tests wait on: `waitFor` checks its condition at once and again after every
 * arrival, so a test waits for a message or frame instead of sleeping.
 */
export class ArrivalLog<T> {
  readonly items: T[] = [];
  private readonly watchers = new Set<() => void>();

  /** `describeItem` renders an item for the timeout message. */
  constructor(private readonly describeItem: (item: T) => string = (item) => String(item)) {}

  push(item: T): void {
    this.items.push(item);
    for (const watcher of [...this.watchers]) watcher();
  }

  /**
   * Resolves with the first value `check` returns that is not undefined. Rejects after
   * `timeoutMs` with `description` and the last items, so a failure shows what did arrive.
   */
  waitFor<R>(
    check: (items: readonly T[]) => R | undefined,
    timeoutMs: number,
    description: string,
  ): Promise<R> {
    return new Promise((resolve, reject) => {
      const settle = (): boolean => {
        const result = check(this.items);
        if (result === undefined) return false;
        finish();
        resolve(result);
        return true;
      };
      const finish = (): void => {
        clearTimeout(timer);
        this.watchers.delete(watcher);
      };
      const watcher = (): void => {
        try {
          settle();
        } catch (error) {
          finish();
          reject(error);
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(
          new Error(`Timed out after ${timeoutMs} ms waiting for ${description}.\n${this.tail()}`),
        );
      }, timeoutMs);
      this.watchers.add(watcher);
      watcher();
    });
  }

  /** Waits until `predicate` holds for some item and resolves with that item. */
  waitForItem(predicate: (item: T) => boolean, timeoutMs: number, description: string): Promise<T> {
    return this.waitFor((items) => items.find(predicate), timeoutMs, description);
  }

  private tail(count = 15): string {
    const last = this.items.slice(-count).map((item) => `  ${this.describeItem(item)}`);
    return `Last ${last.length} of ${this.items.length} items:\n${last.join('\n')}`;
  }
}
