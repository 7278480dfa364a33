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
import { SampleHubService } from '../stream/sample-hub.service.js';
import { streamConfig } from '../config/stream.config.js';
import {
  COMMAND_TIMEOUT_MS,
  createRedisClient,
  retryDelayMs,
  whenReady,
} from './redis-client.factory.js';
import { alertsKey, parseAlertState } from './alert-state.js';
import { decodeEntries, type StreamEntry } from './stream-entry.codec.js';
import type { TransportHealth } from './transport-health.js';

// One blocking read waits this long for new entries before it is issued again.
const BLOCK_MS = 5000;
// Entries taken per read: a backlog after an outage comes in a few large reads.
const READ_COUNT = 1000;

/**
 * A gateway's source of events: reads the Redis Stream every agent appends to (`XREAD BLOCK`)
 * and feeds each entry to the hub, which streams it under its Redis id. At start it first loads
 * the newest VITALS_HISTORY entries, so history and resume work at once. When Redis goes away
 * the open streams stay open, readiness turns down, and reading resumes after the last entry
 * taken once Redis is back.
 */
@Injectable()
export class RedisFeedService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(RedisFeedService.name);
  private reader: Redis | undefined;
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
    // Failures surface where the commands are sent; this only keeps ioredis from logging them.
    this.reader.on('error', () => undefined);
    this.running = true;
    this.loop = this.read();
    this.logger.log(`Serving every host from the Redis Stream ${this.config.stream}`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.running = false;
    this.stopping.abort();
    this.reader?.disconnect();
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

  private async read(): Promise<void> {
    let attempt = 0;
    while (this.running) {
      try {
        await whenReady(this.reader!, this.stopping.signal);
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
    )) as StreamEntry[];
    this.ingest(newestFirst.reverse());
    this.logger.log(`Loaded ${newestFirst.length} recent events from ${this.config.stream}`);
    return newestFirst.at(-1)?.[0] ?? '0-0';
  }

  private ingest(entries: StreamEntry[]): void {
    const { events, skipped } = decodeEntries(entries);
    this.counters.skipped += skipped;
    for (const event of events) {
      this.hub.ingest(event);
      this.counters.ingested++;
    }
    const newest = entries.at(-1);
    if (newest) {
      this.lastId = newest[0];
    }
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
