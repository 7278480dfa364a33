import { setTimeout as sleep } from 'node:timers/promises';
import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { transportConfig } from '../config/transport.config.js';
import { SampleHubService } from '../hub/sample-hub.service.js';
import { streamConfig } from '../config/stream.config.js';
import { previousEventId } from '../hub/event-id.js';
import { RateLimitedLogger } from '../common/rate-limited-logger.js';
import { EntryRepeats } from './entry-repeats.js';
import { RedisStreamRepository } from './redis-stream.repository.js';
import { retryDelayMs } from './retry-delay.js';
import { decodeEntries, type StreamEntry } from './stream-entry.codec.js';
import type { TransportHealth } from './transport-health.js';
import { errorMessage } from '../common/error-message.js';

// Entries taken per read: a backlog after an outage comes in a few large reads.
const READ_COUNT = 1000;

/** Counters of a gateway's reading. */
export interface FeedStats {
  ingested: number;
  /** Entries that are not a valid sample or alert: left out, logged (rate-limited). */
  rejected: number;
  /** An agent's re-sends of entries already taken (same idempotency key): left out. */
  repeated: number;
  reconnects: number;
  /** Gap frames sent because Redis trimmed entries while the gateway could not read. */
  gaps: number;
}

/**
 * A gateway's source of events: reads the Redis Stream every agent appends to (`XREAD BLOCK`)
 * and feeds each valid entry to the hub, which streams it under its Redis id. Entries that are
 * not a valid sample or alert, and an agent's re-sends, are left out and counted. At start it
 * first loads the newest VITALS_HISTORY entries, so history and resume work at once. When Redis
 * goes away the open streams stay open, readiness turns down, and reading resumes after the last
 * entry taken once Redis is back, with a gap event first if trimming took entries meanwhile.
 */
@Injectable()
export class RedisFeedService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(RedisFeedService.name);
  private running = false;
  private readonly stopping = new AbortController();
  private loop: Promise<void> | undefined;
  private lastId: string | undefined;
  private connected = false;
  private failing = false;
  private readonly counters: FeedStats = {
    ingested: 0,
    rejected: 0,
    repeated: 0,
    reconnects: 0,
    gaps: 0,
  };
  private readonly repeats = new EntryRepeats();
  private readonly rejections = new RateLimitedLogger(this.logger);

  constructor(
    private readonly hub: SampleHubService,
    // Its own connection: the blocking XREAD holds it (see RedisStreamRepository).
    private readonly reader: RedisStreamRepository,
    @Inject(transportConfig.KEY) private readonly config: ConfigType<typeof transportConfig>,
    @Inject(streamConfig.KEY) private readonly stream: ConfigType<typeof streamConfig>,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.reader.connect('vitals-gateway-reader', { blocking: true })) {
      return;
    }
    this.running = true;
    this.loop = this.read();
    this.logger.log(`Serving every host from the Redis Stream ${this.config.stream}`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.running = false;
    this.stopping.abort();
    this.reader.disconnect();
    await this.loop;
  }

  get stats(): Readonly<FeedStats> {
    return this.counters;
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
        await this.reader.whenReady(this.stopping.signal);
        if (this.lastId === undefined) {
          this.lastId = await this.loadRecent();
          this.up();
        } else if (this.failing) {
          await this.reportTrimmed(this.lastId);
        }
        const entries = await this.reader.readNew(this.lastId, READ_COUNT);
        this.up();
        attempt = 0;
        this.ingest(entries);
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
    for (const { eventId, alert } of await this.reader.activeAlerts()) {
      this.hub.restoreAlert(eventId, alert);
    }
    const recent = await this.reader.newest(this.stream.history);
    this.ingest(recent);
    this.logger.log(`Loaded ${recent.length} recent events from ${this.config.stream}`);
    return recent.at(-1)?.[0] ?? '0-0';
  }

  // Reading resumes after an outage: if it outlasted what MAXLEN keeps, entries after the last
  // one taken are gone, and the live clients are told so, as a resume from that id would be.
  private async reportTrimmed(lastId: string): Promise<void> {
    const to = await this.reader.trimmedAfter(lastId);
    if (to !== undefined) {
      this.hub.publishGap(lastId, to);
      this.counters.gaps++;
      // Where the gap ends: checking again (after another failure) does not report it twice.
      this.lastId = previousEventId(to);
      this.logger.warn(
        `Redis trimmed entries after ${lastId} before they were read: a gap to ${to}`,
      );
    }
    this.up();
  }

  private ingest(entries: StreamEntry[]): void {
    const { events, rejected, repeated } = decodeEntries(entries, this.repeats);
    this.counters.repeated += repeated;
    this.counters.rejected += rejected.length;
    const first = rejected[0];
    if (first) {
      this.rejections.warn(
        `Left out ${rejected.length === 1 ? 'entry' : `${rejected.length} entries, the first`} ` +
          `${first.id} of ${this.config.stream}: not a valid vitals event (${first.problem})`,
      );
    }
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
        `Redis unreachable (${errorMessage(error)}): ` +
          'streams stay open, readiness is down, retrying',
      );
    }
    this.connected = false;
  }
}
