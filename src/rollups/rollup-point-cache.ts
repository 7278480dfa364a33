/** A stored bucket's point as the cache keeps it: its JSON for one selection of groups, encoded. */
export interface CachedPoint {
  readonly samples: number;
  readonly text: Buffer;
  /** Set by every hit; the sweep clears it once before evicting (a second chance). */
  used: boolean;
  readonly owner: Map<number, CachedPoint>;
  readonly start: number;
}

// The objects and map slots of an entry.
const ENTRY_OVERHEAD_BYTES = 160;

const bytesOf = (entry: CachedPoint): number => entry.text.length + ENTRY_OVERHEAD_BYTES;

/**
 * The JSON of stored buckets' points, per series (a host, a tier and a selection of groups),
 * within a byte budget: past it, entries not used since the last sweep go first (CLOCK, an
 * approximate LRU whose hit is one boolean write). A stored bucket is written once and never
 * changes but by a fuller write (more samples, which the entry is checked against), so a range
 * asked for again (a dashboard reloading its 24 h view) is answered with the bytes of the last
 * answer, without decoding or serializing a bucket.
 */
export class RollupPointCache {
  private used = 0;
  private readonly series = new Map<string, Map<number, CachedPoint>>();
  // Oldest first; an entry given a second chance is moved to the back.
  private readonly queue = new Set<CachedPoint>();

  constructor(readonly budgetBytes: number) {}

  get bytes(): number {
    return this.used;
  }

  get size(): number {
    return this.queue.size;
  }

  /** The point of `series` at `start` if it is cached for a bucket of `samples` samples. */
  get(series: string, start: number, samples: number): Buffer | undefined {
    const entry = this.series.get(series)?.get(start);
    if (entry === undefined || entry.samples !== samples) {
      return undefined;
    }
    entry.used = true;
    return entry.text;
  }

  /** Keeps `text` as the point of `series` at `start`, unless it alone outgrows the budget. */
  add(series: string, start: number, samples: number, text: Buffer): void {
    let owner = this.series.get(series);
    if (owner === undefined) {
      owner = new Map();
      this.series.set(series, owner);
    }
    const old = owner.get(start);
    if (old !== undefined && this.queue.delete(old)) {
      this.used -= bytesOf(old);
      owner.delete(start);
    }
    const entry: CachedPoint = { samples, text, used: false, owner, start };
    if (bytesOf(entry) > this.budgetBytes) {
      return;
    }
    owner.set(start, entry);
    this.queue.add(entry);
    this.used += bytesOf(entry);
    while (this.used > this.budgetBytes) {
      this.evictOne(entry);
    }
  }

  // Evicts one entry other than `keep` (which fits the budget alone, so another exists).
  private evictOne(keep: CachedPoint): void {
    for (const candidate of this.queue) {
      this.queue.delete(candidate);
      if (candidate === keep || candidate.used) {
        candidate.used = false;
        this.queue.add(candidate);
        continue;
      }
      this.used -= bytesOf(candidate);
      candidate.owner.delete(candidate.start);
      if (candidate.owner.size === 0) {
        this.dropEmptySeries();
      }
      return;
    }
  }

  // Series whose every point was evicted (a host gone, a selection asked once) are forgotten.
  private dropEmptySeries(): void {
    for (const [key, owner] of this.series) {
      if (owner.size === 0) {
        this.series.delete(key);
      }
    }
  }
}
