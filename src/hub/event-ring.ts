/**
 * The last `capacity` events in publishing order, in a fixed array: pushing past capacity
 * overwrites the oldest. Ids are consecutive integers (the hub's sequence), so an event is found
 * by arithmetic instead of search.
 */
export class EventRing<T extends { readonly id: number }> {
  private readonly slots: Array<T | undefined>;
  private start = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    this.slots = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.count;
  }

  get oldest(): T | undefined {
    return this.count === 0 ? undefined : this.slots[this.start];
  }

  get newest(): T | undefined {
    return this.count === 0 ? undefined : this.slots[(this.start + this.count - 1) % this.capacity];
  }

  /** The `index`-th retained event, oldest first. */
  at(index: number): T | undefined {
    return index >= 0 && index < this.count
      ? this.slots[(this.start + index) % this.capacity]
      : undefined;
  }

  /**
   * The newest retained event `before` holds for, when it holds for the oldest ones and then no
   * more (as "at or before this id" does, in id order): found by bisection.
   */
  lastWhere(before: (event: T) => boolean): T | undefined {
    let low = -1;
    let high = this.count - 1;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if (before(this.at(middle)!)) {
        low = middle;
      } else {
        high = middle - 1;
      }
    }
    return this.at(low);
  }

  push(event: T): void {
    const newest = this.newest;
    if (newest && event.id !== newest.id + 1) {
      throw new Error(`event ${event.id} does not follow ${newest.id}`);
    }
    if (this.count < this.capacity) {
      this.slots[(this.start + this.count) % this.capacity] = event;
      this.count++;
    } else {
      this.slots[this.start] = event;
      this.start = (this.start + 1) % this.capacity;
    }
  }

  /** The first retained event with an id above `id`: the oldest when `id` is older than it. */
  after(id: number): T | undefined {
    const oldest = this.oldest;
    if (!oldest) {
      return undefined;
    }
    const offset = Math.max(0, id + 1 - oldest.id);
    return offset < this.count ? this.slots[(this.start + offset) % this.capacity] : undefined;
  }

  /** Retained events with ids above `id`, oldest first (all of them when `id` is undefined). */
  *since(id?: number): IterableIterator<T> {
    const oldest = this.oldest;
    if (!oldest) {
      return;
    }
    const offset = id === undefined ? 0 : Math.max(0, id + 1 - oldest.id);
    for (let i = offset; i < this.count; i++) {
      yield this.slots[(this.start + i) % this.capacity]!;
    }
  }

  /** Retained events, newest first. */
  *newestFirst(): IterableIterator<T> {
    for (let i = this.count - 1; i >= 0; i--) {
      yield this.slots[(this.start + i) % this.capacity]!;
    }
  }
}
