import { DomainError } from '../common/domain-error.js';
import { ErrorCode } from '../common/error-code.js';
import type { EventRing } from './event-ring.js';
import {
  compareEventIds,
  eventIdValue,
  parseEventId,
  previousEventId,
  type EventId,
  type EventIdValue,
} from './event-id.js';
import type { HubEvent } from './hub-event.js';

/** Where a client that has seen `id` continues. */
export interface ResumePoint {
  /** The hub position after which the client continues from memory. */
  after: number;
  /**
   * Set when what the client lacks starts before the hub's memory: the archive holds the events
   * after this id and before the oldest retained one.
   */
  archiveAfter?: string;
  /** Events up to this id are already the client's (it comes from a replica ahead of this one). */
  skipThrough?: EventId;
}

/** The ids the hub still holds: what a client can resume from or page through. */
export interface RetainedRange {
  oldest: EventIdValue;
  newest: EventIdValue;
}

/**
 * Turns the ids clients send back (Last-Event-ID, lastEventId=, since=) into positions in the
 * hub's ring, and positions into ids: a standalone hub's own integers, or on a gateway Redis
 * Stream ids, found by bisection and sent to the archive when older than the ring.
 */
export class ResumePoints {
  constructor(
    private readonly ring: EventRing<HubEvent>,
    private readonly remoteIds: boolean,
    /** The position of the newest event, or of the one before the first. */
    private readonly newest: () => number,
  ) {}

  /**
   * Where a client that has seen event `text` (Last-Event-ID, lastEventId=, since=) continues.
   * Throws INVALID_QUERY for what cannot be an id of this stream.
   */
  resolve(text: string, parameter: string): ResumePoint {
    const id = parseEventId(text);
    if (!id || text.includes('-') !== this.remoteIds) {
      throw new DomainError(
        ErrorCode.INVALID_QUERY,
        this.remoteIds
          ? `${parameter} must be an event id of this stream (a Redis Stream id such as 1795524273660-0)`
          : `${parameter} must be an event id (a non-negative integer)`,
      );
    }
    return this.remoteIds ? this.resolveRemote(id, parameter) : this.resolveLocal(id, parameter);
  }

  /** The retained ids, as clients see them; undefined before the first event. */
  get retained(): RetainedRange | undefined {
    const { oldest, newest } = this.ring;
    return oldest && newest
      ? { oldest: eventIdValue(oldest.eventId), newest: eventIdValue(newest.eventId) }
      : undefined;
  }

  /** The id clients know the event at position `id` by; undefined when the hub cannot tell. */
  eventIdAt(id: number): string | undefined {
    if (!this.remoteIds) {
      return String(id);
    }
    const next = this.ring.after(id - 1);
    if (next?.id === id) {
      return next.eventId;
    }
    if (next?.id === id + 1) {
      return previousEventId(next.eventId);
    }
    const newest = this.ring.newest;
    return newest && id >= newest.id ? newest.eventId : undefined;
  }

  private resolveLocal(id: EventId, parameter: string): ResumePoint {
    if (id.ms > this.newest()) {
      throw new DomainError(
        ErrorCode.INVALID_QUERY,
        `${parameter} ${id.text} is ahead of the newest event ${this.newest()}`,
      );
    }
    return { after: id.ms };
  }

  private resolveRemote(id: EventId, parameter: string): ResumePoint {
    // Redis ids are milliseconds of Redis's clock: one far ahead of ours was never given out,
    // and a client told to skip up to it would wait forever.
    if (id.ms > Date.now() + AHEAD_TOLERANCE_MS) {
      throw new DomainError(
        ErrorCode.INVALID_QUERY,
        `${parameter} ${id.text} is ahead of the stream`,
      );
    }
    const { oldest, newest } = this.ring;
    if (!oldest || !newest) {
      return { after: this.newest(), archiveAfter: id.text };
    }
    if (compareEventIds(id, parseEventId(newest.eventId)!) > 0) {
      // Ahead of this replica: skip what arrives here late until the stream passes the id.
      return { after: newest.id, skipThrough: id };
    }
    if (compareEventIds(id, parseEventId(oldest.eventId)!) < 0) {
      return { after: oldest.id - 1, archiveAfter: id.text };
    }
    // The newest retained event at or before `id`: the ring is in id order.
    const at = this.ring.lastWhere(
      (event) => compareEventIds(parseEventId(event.eventId)!, id) <= 0,
    );
    return { after: at!.id };
  }
}

// How far ahead of this server's clock a Redis id may be (the clocks of Redis and the gateway
// differ a little) before it is refused as never given out.
const AHEAD_TOLERANCE_MS = 60_000;
