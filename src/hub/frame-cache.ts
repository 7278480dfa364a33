import type { SerializedFrame } from './hub-event.js';

/** A frame one event holds in its own map, as the shared cache accounts for it. */
export interface CachedFrame {
  readonly frame: SerializedFrame;
  readonly bytes: number;
  /** Set by every hit; the sweep clears it once before evicting (a second chance). */
  used: boolean;
  /** The event's map the frame sits in, under `key`: where an eviction deletes it from. */
  readonly owner: Map<string, CachedFrame>;
  readonly key: string;
}

// Objects, map slot and queue slot of an entry: a flood of tiny frames (the demo's) counts too.
const ENTRY_OVERHEAD_BYTES = 256;

/**
 * The byte budget of the frames events keep for reuse, across every event: past it, frames
 * unused since the last sweep are evicted first (CLOCK, an approximate LRU whose hit costs one
 * boolean write on the per-tick path). A popular projection's frame is hit by every subscriber
 * each tick and stays; the frames of rare `groups=` selections, or of old events replayed once,
 * go, and are serialized again if someone asks.
 */
export class FrameCache {
  private used = 0;
  // Oldest first; an entry given a second chance is moved to the back.
  private readonly queue = new Set<CachedFrame>();

  constructor(readonly budgetBytes: number) {}

  /** Bytes the cached frames take now. */
  get bytes(): number {
    return this.used;
  }

  /** Frames cached now. */
  get size(): number {
    return this.queue.size;
  }

  /**
   * Keeps `frame` in `owner` under `key` (making room first), or leaves it out when it alone
   * is larger than the budget. Returns the frame.
   */
  add(owner: Map<string, CachedFrame>, key: string, frame: SerializedFrame): SerializedFrame {
    const bytes = frame.sse.length + frame.data.length + ENTRY_OVERHEAD_BYTES;
    if (bytes > this.budgetBytes) {
      return frame;
    }
    while (this.used + bytes > this.budgetBytes) {
      this.evictOne();
    }
    const entry: CachedFrame = { frame, bytes, used: false, owner, key };
    owner.set(key, entry);
    this.queue.add(entry);
    this.used += bytes;
    return frame;
  }

  private evictOne(): void {
    // A Set iterates what is added while iterating: after one pass clearing `used` flags, the
    // first entry comes round again unused, so this ends.
    for (const entry of this.queue) {
      this.queue.delete(entry);
      if (entry.used) {
        entry.used = false;
        this.queue.add(entry);
        continue;
      }
      entry.owner.delete(entry.key);
      this.used -= entry.bytes;
      return;
    }
  }
}

// Room for every frame of the default history (3,600 events) in two or three projections;
// bounded whatever clients ask for.
export const FRAME_CACHE_BYTES = 32 * 1024 * 1024;

/** The cache every hub event shares. */
export const FRAME_CACHE = new FrameCache(FRAME_CACHE_BYTES);
