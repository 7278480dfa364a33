import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Redis } from 'ioredis';
import { transportConfig } from '../config/transport.config.js';
import type { ArchivedEvents, EventArchive } from '../stream/event-archive.js';
import { compareEventIds, parseEventId } from '../stream/event-id.js';
import { SampleHubService, type RemoteEvent } from '../stream/sample-hub.service.js';
import { streamConfig } from '../config/stream.config.js';
import { createRedisClient, retryDelayMs } from './redis-client.factory.js';
import { alertsKey, parseAlertState } from './alert-state.js';
import { decodeEntry } from './stream-entry.codec.js';
import type { TransportHealth } from './transport-health.js';

// One blocking read waits this long for new entries before it is issued again.
const BLOCK_MS = 5000;
// Entries taken per read: a backlog after an outage comes in a few large reads.
const READ_COUNT = 1000;
// How long a command waits for a connection that is being made.
const READY_WAIT_MS = 1000;
// A reply later than this means a dead connection (the blocking read's wait included).
const COMMAND_TIMEOUT_MS = 5000;

type Entry = [id: string, fields: string[]];

/**
 * A gateway's source of events: reads the Redis Stream every agent appends to (`XREAD BLOCK`)
 * and feeds each entry to the hub, which streams it under its Redis id. At start it first loads
 * the newest VITALS_HISTORY entries, so history and resume work at once. When Redis goes away
 * the open streams stay open, readiness turns down, and reading resumes after the last entry
 * taken once Redis is back. It is also the archive a client resuming from beyond the hub's
 * memory is served from (`XRANGE`).
 */
@Injectable()
export class RedisFeedService
  implements EventArchive, OnApplicationBootstrap, BeforeApplicationShutdown
{
  private readonly logger = new Logger(RedisFeedService.name);
  private reader: Redis | undefined;
  private queries: Redis | undefined;
  private running = false;
  private readonly stopping = new AbortController();
  private loop: Promise<void> | undefined;
  private lastId: string | undefined;
  private connected = false;
  private failing = false;
  private readonly counters = { ingested: 0, skipped: 0, reconnects: 0 };

  constructor(
    private readonly hub: SampleHubService,
    @Inject(transportConfig.KEY) private readonly config: ConfigType<typeof transportConfig>,
    @Inject(streamConfig.KEY) private readonly stream: ConfigType<typeof streamConfig>,
  ) {}

  get active(): boolean {
    return this.config.mode === 'gateway';
  }

  onApplicationBootstrap(): void {
    if (!this.active || !this.config.redisUrl) {
      return;
    }
    this.reader = createRedisClient(
      this.config.redisUrl,
      'vitals-gateway-reader',
      BLOCK_MS + COMMAND_TIMEOUT_MS,
    );
    this.queries = createRedisClient(this.config.redisUrl, 'vitals-gateway', COMMAND_TIMEOUT_MS);
    // Failures surface where the commands are sent; these only keep ioredis from logging them.
    this.reader.on('error', () => undefined);
    this.queries.on('error', () => undefined);
    this.running = true;
    this.loop = this.read();
    this.logger.log(`Serving every host from the Redis Stream ${this.config.stream}`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.running = false;
    this.stopping.abort();
    this.reader?.disconnect();
    this.queries?.disconnect();
    await this.loop;
  }

  health(): TransportHealth {
    const details = {
      mode: 'gateway',
      redis: this.connected ? 'connected' : 'unreachable',
      lastId: this.lastId ?? null,
      hosts: this.hub.hosts().length,
      ...this.counters,
    };
    return this.connected
      ? { ready: true, details }
      : { ready: false, details: { ...details, message: 'Redis is unreachable: retrying' } };
  }

  async readAfter(
    afterId: string,
    beforeId: string | undefined,
    limit: number,
  ): Promise<ArchivedEvents> {
    const client = this.queries;
    if (!client) {
      throw new Error('not a gateway');
    }
    await this.ready(client);
    const entries = (await client.xrange(
      this.config.stream,
      `(${afterId}`,
      beforeId === undefined ? '+' : `(${beforeId}`,
      'COUNT',
      limit,
    )) as Entry[];
    const events = this.decode(entries);
    const read = { events, lastId: entries.at(-1)?.[0], exhausted: entries.length < limit };
    // Entries after the client's id that MAXLEN trimmed are gone for good: say so.
    if (await this.trimmedAfter(client, afterId)) {
      return { ...read, missingUntil: entries[0]?.[0] ?? beforeId ?? null };
    }
    return read;
  }

  private async read(): Promise<void> {
    let attempt = 0;
    while (this.running) {
      try {
        await this.ready(this.reader!);
        if (this.lastId === undefined) {
          this.lastId = await this.loadRecent();
          this.up();
        }
        const reply = await this.reader!.xread(
          'COUNT',
          READ_COUNT,
          'BLOCK',
          BLOCK_MS,
          'STREAMS',
          this.config.stream,
          this.lastId,
        );
        this.up();
        attempt = 0;
        for (const [, entries] of reply ?? []) {
          this.ingest(entries);
        }
      } catch (error) {
        if (!this.running) {
          break;
        }
        attempt++;
        this.down(error);
        // Cut short at shutdown, which must not wait out a 5 s backoff.
        await sleep(retryDelayMs(attempt), undefined, { signal: this.stopping.signal }).catch(
          () => undefined,
        );
      }
    }
  }

  // A connection that is (re)connecting gets a moment before the next command, which would
  // otherwise fail at once (there is no offline queue) and report an outage that is not one.
  private async ready(client: Redis): Promise<void> {
    if (client.status === 'ready') {
      return;
    }
    await Promise.race([
      once(client, 'ready', { signal: this.stopping.signal }),
      sleep(READY_WAIT_MS, undefined, { signal: this.stopping.signal }),
    ]).catch(() => undefined);
  }

  // The newest entries, so history and resume have something from the first request; returns
  // the id to read on from.
  private async loadRecent(): Promise<string> {
    // The alerts active now, whenever they were raised; the recent entries then bring the hub
    // up to date with the changes among them.
    const states = await this.reader!.hgetall(alertsKey(this.config.stream));
    for (const value of Object.values(states)) {
      const state = parseAlertState(value);
      if (state) {
        this.hub.restoreAlert(state.eventId, state.alert);
      }
    }
    const newestFirst = (await this.reader!.xrevrange(
      this.config.stream,
      '+',
      '-',
      'COUNT',
      this.stream.history,
    )) as Entry[];
    this.ingest(newestFirst.reverse());
    this.logger.log(`Loaded ${newestFirst.length} recent events from ${this.config.stream}`);
    return newestFirst.at(-1)?.[0] ?? '0-0';
  }

  private ingest(entries: Entry[]): void {
    for (const event of this.decode(entries)) {
      this.hub.ingest(event);
      this.counters.ingested++;
    }
    const newest = entries.at(-1);
    if (newest) {
      this.lastId = newest[0];
    }
  }

  private decode(entries: Entry[]): RemoteEvent[] {
    const events: RemoteEvent[] = [];
    for (const [id, fields] of entries) {
      const event = decodeEntry(id, fields);
      if (event) {
        events.push(event);
      } else {
        this.counters.skipped++;
      }
    }
    return events;
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
    const first = (field('first-entry') as Entry | null)?.[0];
    const added = field('entries-added');
    // entries-added is Redis 7's; without it, assume the worst.
    const lost = typeof added === 'number' ? added > Number(field('length')) : true;
    return (
      lost &&
      first !== undefined &&
      compareEventIds(parseEventId(afterId)!, parseEventId(first)!) < 0
    );
  }

  private up(): void {
    this.failing = false;
    if (!this.connected) {
      this.connected = true;
      this.logger.log(`Reading ${this.config.stream} after ${this.lastId ?? 'the start'}`);
    }
  }

  private down(error: unknown): void {
    if (this.connected) {
      this.counters.reconnects++;
    }
    if (!this.failing) {
      this.failing = true;
      this.logger.warn(
        `Redis unreachable (${error instanceof Error ? error.message : String(error)}): ` +
          'streams stay open, readiness is down, retrying',
      );
    }
    this.connected = false;
  }
}
