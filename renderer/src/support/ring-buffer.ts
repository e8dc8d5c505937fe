/** A fixed-capacity buffer that overwrites its oldest item once full. */
export class RingBuffer<T> {
  private readonly items: (T | undefined)[];
  private start = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`Ring buffer capacity must be a positive integer, got ${capacity}`);
    }
    this.items = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.count;
  }

  push(item: T): void {
    const end = (this.start + this.count) % this.capacity;
    this.items[end] = item;
    if (this.count < this.capacity) this.count += 1;
    else this.start = (this.start + 1) % this.capacity;
  }

  /** Returns the oldest item without removing it. */
  peek(): T | undefined {
    return this.count === 0 ? undefined : this.items[this.start];
  }

  /** Returns the newest item without removing it. */
  peekNewest(): T | undefined {
    return this.count === 0 ? undefined : this.items[(this.start + this.count - 1) % this.capacity];
  }

  /** Removes every item. */
  clear(): void {
    this.items.fill(undefined);
    this.start = 0;
    this.count = 0;
  }

  /** Removes items from the oldest end while `predicate` holds. */
  dropWhile(predicate: (item: T) => boolean): void {
    while (this.count > 0) {
      const oldest = this.items[this.start] as T;
      if (!predicate(oldest)) return;
      this.items[this.start] = undefined;
      this.start = (this.start + 1) % this.capacity;
      this.count -= 1;
    }
  }

  /** Returns the items from oldest to newest. */
  toArray(): T[] {
    const result: T[] = [];
    for (let index = 0; index < this.count; index += 1) {
      result.push(this.items[(this.start + index) % this.capacity] as T);
    }
    return result;
  }
}
