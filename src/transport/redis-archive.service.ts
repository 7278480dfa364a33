import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  OnApplicationBootstrap,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Redis } from 'ioredis';
import { transportConfig } from '../config/transport.config.js';
import type { ArchivedEvents, EventArchive } from '../stream/event-archive.js';
import { compareEventIds, parseEventId } from '../stream/event-id.js';
import { createRedisClient, whenReady } from './redis-client.factory.js';
import { decodeEntries, type StreamEntry } from './stream-entry.codec.js';

/**
 * A gateway's archive: the Redis Stream itself, read with `XRANGE` for a client that resumes
 * from before what the gateway holds in memory (it started later, keeps less, or is another
 * replica). It says when trimming (`MAXLEN ~`) took entries the client had not seen.
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
    if (this.config.mode !== 'gateway' || !this.config.redisUrl) {
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
      events: decodeEntries(entries).events,
      lastId: entries.at(-1)?.[0],
      exhausted: entries.length < limit,
    };
    // Entries after the client's id that MAXLEN trimmed are gone for good: say so.
    if (await this.trimmedAfter(client, afterId)) {
      return { ...read, missingUntil: entries[0]?.[0] ?? beforeId ?? null };
    }
    return read;
  }

  // Whether trimming may have taken entries after `afterId`: it takes the oldest, so that is
  // when the stream has lost entries and `afterId` is older than the first one left.
  private async trimmedAfter(client: Redis, afterId: string): Promise<boolean> {
    let info: unknown[];
    try {
      info = (await client.xinfo('STREAM', this.config.stream)) as unknown[];
    } catch {
      return false; // no stream (yet): nothing was trimmed from it
    }
    const field = (name: string): unknown => info[info.indexOf(name) + 1];
    const first = (field('first-entry') as StreamEntry | null)?.[0];
    const added = field('entries-added');
    // entries-added is Redis 7's; without it, assume the worst.
    const lost = typeof added === 'number' ? added > Number(field('length')) : true;
    return (
      lost &&
      first !== undefined &&
      compareEventIds(parseEventId(afterId)!, parseEventId(first)!) < 0
    );
  }
}
