import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  OnApplicationBootstrap,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Redis } from 'ioredis';
import { transportConfig } from '../config/transport.config.js';
import type { ArchivedEvents, EventArchive } from '../hub/event-archive.js';
import { EntryRepeats } from './entry-repeats.js';
import { createRedisClient, whenReady } from './redis-client.factory.js';
import { decodeEntries, entryKey, type StreamEntry } from './stream-entry.codec.js';
import { trimmedAfter } from './stream-trim.js';

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
  private client: Redis | undefined;
  private readonly stopping = new AbortController();

  constructor(
    @Inject(transportConfig.KEY) private readonly config: ConfigType<typeof transportConfig>,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.redisUrl) {
      return;
    }
    this.client = createRedisClient(this.config.redisUrl, 'vitals-gateway');
    // Failures surface where the commands are sent; this only keeps ioredis from logging them.
    this.client.on('error', () => undefined);
  }

  beforeApplicationShutdown(): void {
    this.stopping.abort();
    this.client?.disconnect();
  }

  async readAfter(
    afterId: string,
    beforeId: string | undefined,
    limit: number,
  ): Promise<ArchivedEvents> {
    const client = this.client;
    if (!client) {
      throw new Error('not a gateway');
    }
    await whenReady(client, this.stopping.signal);
    const entries = (await client.xrange(
      this.config.stream,
      `(${afterId}`,
      beforeId === undefined ? '+' : `(${beforeId}`,
      'COUNT',
      limit,
    )) as StreamEntry[];
    const read = {
      events: decodeEntries(entries, await this.seenBefore(client, afterId)).events,
      lastId: entries.at(-1)?.[0],
      exhausted: entries.length < limit,
    };
    // Entries after the client's id that MAXLEN trimmed are gone for good: say so. If Redis
    // cannot tell, the page is still good.
    const trimmed = await trimmedAfter(client, this.config.stream, afterId).catch(() => undefined);
    if (trimmed !== undefined) {
      return { ...read, missingUntil: entries[0]?.[0] ?? beforeId ?? null };
    }
    return read;
  }

  // The idempotency keys of the entries up to `afterId`, so that a page leaves out re-sends
  // of entries before it as well as within it.
  private async seenBefore(client: Redis, afterId: string): Promise<EntryRepeats> {
    const repeats = new EntryRepeats();
    const before = (await client.xrevrange(
      this.config.stream,
      afterId,
      '-',
      'COUNT',
      REPEAT_LOOKBACK,
    )) as StreamEntry[];
    for (const [, fields] of before.reverse()) {
      const key = entryKey(fields);
      if (key) {
        repeats.repeats(key.run, key.seq);
      }
    }
    return repeats;
  }
}
