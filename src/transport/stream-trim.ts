import { compareEventIds, parseEventId, previousEventId } from '../hub/event-id.js';

/** What `XINFO STREAM` says about a stream that tells whether trimming took entries. */
export interface StreamTrimInfo {
  /** The id of the oldest entry left; undefined when the stream is empty. */
  firstId: string | undefined;
  length: number;
  /** Entries ever added (Redis 7 and later); undefined on an older Redis. */
  entriesAdded: number | undefined;
}

/**
 * The id of the oldest entry left in a stream when trimming (`MAXLEN ~`) may have taken entries
 * after `afterId`; undefined when it cannot have (or there is no stream). Trimming takes the
 * oldest entries, so that is when the stream has lost entries (Redis 7's `entries-added` exceeds
 * its length; MAXLEN does not move `max-deleted-entry-id`) and there is room for one between
 * `afterId` and the oldest.
 */
export function trimmedUntil(
  info: StreamTrimInfo | undefined,
  afterId: string,
): string | undefined {
  if (!info) {
    return undefined; // no stream (yet): nothing was trimmed from it
  }
  const { firstId, length, entriesAdded } = info;
  // entries-added is Redis 7's; without it, assume the worst.
  const lost = entriesAdded === undefined ? true : entriesAdded > length;
  const after = parseEventId(afterId);
  return lost &&
    firstId !== undefined &&
    after !== undefined &&
    compareEventIds(after, parseEventId(previousEventId(firstId))!) < 0
    ? firstId
    : undefined;
}
