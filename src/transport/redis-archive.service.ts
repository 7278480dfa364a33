import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { ArchivedEvents, EventArchive } from '../hub/event-archive.js';
import { EntryRepeats } from './entry-repeats.js';
import { RedisStreamRepository } from './redis-stream.repository.js';
import { decodeEntries, entryKey } from './stream-entry.codec.js';

// Entries read back from a page's start to tell an agent's re-sent entries from new ones: a
// re-send follows its original by at most a pipeline batch and what other agents appended
// while the agent reconnected.
const REPEAT_LOOKBACK = 1000;

/**
 * A gateway's archive: the Redis Stream itself, read with `XRANGE` for a client that resumes
 * from before what the gateway holds in memory (it started later, keeps less, or is another
 * replica). It says when trimming (`MAXLEN ~`) took entries the client had not seen, and leaves
 * out an agent's re-sends of entries (same idempotency key) as the feed does.
 */
@Injectable()
export class RedisArchiveService
  implements EventArchive, OnApplicationBootstrap, BeforeApplicationShutdown
{
  private opened = false;
  private readonly stopping = new AbortController();

  // Its own connection, apart from the feed's blocked one: pages are read while it waits.
  constructor(private readonly redis: RedisStreamRepository) {}

  onApplicationBootstrap(): void {
    this.opened = this.redis.connect('vitals-gateway');
  }

  beforeApplicationShutdown(): void {
    this.stopping.abort();
    this.redis.disconnect();
  }

  async readAfter(
    afterId: string,
    beforeId: string | undefined,
    limit: number,
  ): Promise<ArchivedEvents> {
    if (!this.opened) {
      throw new Error('not a gateway');
    }
    await this.redis.whenReady(this.stopping.signal);
    const entries = await this.redis.range(afterId, beforeId, limit);
    const read = {
      events: decodeEntries(entries, await this.seenBefore(afterId)).events,
      lastId: entries.at(-1)?.[0],
      exhausted: entries.length < limit,
    };
    // Entries after the client's id that MAXLEN trimmed are gone for good: say so. If Redis
    // cannot tell, the page is still good.
    const trimmed = await this.redis.trimmedAfter(afterId).catch(() => undefined);
    if (trimmed !== undefined) {
      return { ...read, missingUntil: entries[0]?.[0] ?? beforeId ?? null };
    }
    return read;
  }

  // The idempotency keys of the entries up to `afterId`, so that a page leaves out re-sends
  // of entries before it as well as within it.
  private async seenBefore(afterId: string): Promise<EntryRepeats> {
    const repeats = new EntryRepeats();
    for (const [, fields] of await this.redis.upTo(afterId, REPEAT_LOOKBACK)) {
      const key = entryKey(fields);
      if (key) {
        repeats.repeats(key.run, key.seq);
      }
    }
    return repeats;
  }
}
