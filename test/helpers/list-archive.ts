import type { EventArchive } from '../../src/hub/event-archive.js';
import { compareEventIds, parseEventId } from '../../src/hub/event-id.js';
import type { RemoteEvent } from '../../src/hub/remote-event.js';

/** An archive over a fixed list of entries, as the Redis Stream would answer. */
export class ListArchive implements EventArchive {
  reads = 0;
  /** Events in each page given, in order. */
  readonly pages: number[] = [];
  constructor(
    private readonly entries: RemoteEvent[],
    private readonly trimmedThrough?: string,
    private readonly failing = false,
  ) {}

  readAfter(afterId: string, beforeId: string | undefined, limit: number) {
    this.reads++;
    if (this.failing) {
      return Promise.reject(new Error('connection lost'));
    }
    const after = parseEventId(afterId)!;
    const events = this.entries
      .filter((entry) => compareEventIds(parseEventId(entry.eventId)!, after) > 0)
      .filter(
        (entry) =>
          beforeId === undefined ||
          compareEventIds(parseEventId(entry.eventId)!, parseEventId(beforeId)!) < 0,
      )
      .slice(0, limit + 1);
    const exhausted = events.length <= limit;
    events.splice(limit);
    this.pages.push(events.length);
    const read = { events, lastId: events.at(-1)?.eventId, exhausted };
    const trimmed =
      this.trimmedThrough !== undefined &&
      compareEventIds(parseEventId(this.trimmedThrough)!, after) > 0;
    return Promise.resolve(trimmed ? { ...read, missingUntil: events[0]?.eventId ?? null } : read);
  }
}
