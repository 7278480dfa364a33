import type { RemoteEvent } from './remote-event.js';

/** A page of what the archive holds after an id. */
export interface ArchivedEvents {
  /** Oldest first. */
  events: RemoteEvent[];
  /** The id of the last entry read (an entry that is not an event is passed over, not lost). */
  lastId?: string;
  /** Whether the read reached the requested end: no more pages. */
  exhausted: boolean;
  /**
   * Set when events right after the requested id are gone from the archive too (trimmed): the
   * id of the oldest one it still has, or null when it has none before the requested end.
   */
  missingUntil?: string | null;
}

/**
 * Where events older than the hub's memory are kept: on a gateway, the Redis Stream itself. A
 * client resuming from an id the gateway never held (it started later, or is another replica)
 * reads what it missed from here, a page at a time.
 */
export interface EventArchive {
  /** Up to `limit` events after `afterId` and before `beforeId` (no end when undefined). */
  readAfter(afterId: string, beforeId: string | undefined, limit: number): Promise<ArchivedEvents>;
}
