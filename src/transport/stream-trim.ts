import type { Redis } from 'ioredis';
import { compareEventIds, parseEventId, previousEventId } from '../hub/event-id.js';
import type { StreamEntry } from './stream-entry.codec.js';

/**
 * The id of the oldest entry left in `stream` when trimming (`MAXLEN ~`) may have taken entries
 * after `afterId`; undefined when it cannot have. Trimming takes the oldest entries, so that is
 * when the stream has lost entries (Redis 7's `entries-added` exceeds its length; MAXLEN does
 * not move `max-deleted-entry-id`) and there is room for one between `afterId` and the oldest.
 */
export async function trimmedAfter(
  client: Redis,
  stream: string,
  afterId: string,
): Promise<string | undefined> {
  let info: unknown[];
  try {
    info = (await client.xinfo('STREAM', stream)) as unknown[];
  } catch (error) {
    if (error instanceof Error && /no such key/i.test(error.message)) {
      return undefined; // no stream (yet): nothing was trimmed from it
    }
    throw error;
  }
  const field = (name: string): unknown => info[info.indexOf(name) + 1];
  const first = (field('first-entry') as StreamEntry | null)?.[0];
  const added = field('entries-added');
  // entries-added is Redis 7's; without it, assume the worst.
  const lost = typeof added === 'number' ? added > Number(field('length')) : true;
  const after = parseEventId(afterId);
  return lost &&
    first !== undefined &&
    after !== undefined &&
    compareEventIds(after, parseEventId(previousEventId(first))!) < 0
    ? first
    : undefined;
}
