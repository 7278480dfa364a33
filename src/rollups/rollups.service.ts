import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnModuleInit,
} from '@nestjs/common';
import type { Subscription } from 'rxjs';
import { DomainError } from '../common/domain-error.js';
import { ErrorCode } from '../common/error-code.js';
import { errorMessage } from '../common/error-message.js';
import { RateLimitedLogger } from '../common/rate-limited-logger.js';
import { SampleEvent } from '../hub/sample-event.js';
import { SampleHubService } from '../hub/sample-hub.service.js';
import { RollupAccumulator } from './rollup-accumulator.js';
import type { RollupPoint } from './rollup-point.js';
import { RollupPointCache } from './rollup-point-cache.js';
import type { RollupStore } from './rollup-store.js';
import { ROLLUP_CLOCK, ROLLUP_STORE } from './rollup-store.token.js';
import { bucketStart, type RollupTier } from './rollup-tiers.js';
import { RollupWindow } from './rollup-window.js';
import { RollupWriteQueue } from './rollup-write-queue.js';
import { rollupsConfig, type RollupsConfig } from './rollups.config.js';

/** Closed buckets kept in memory while the store fails: two weeks of one host's minutes. */
export const ROLLUP_QUEUE_CAPACITY = 20_000;
/** The rendered stored buckets kept for queries asked again: a year of hours of two hosts. */
export const POINT_CACHE_BYTES = 32 * 1024 * 1024;
const IDLE_CHECK_MS = 15_000;
const PRUNE_EVERY_MS = 60 * 60_000;
// What of the 2 s shutdown the last write may take.
const SHUTDOWN_FLUSH_MS = 1500;

/**
 * The rollups of every sample the hub publishes (this host's and, on a gateway, its agents'):
 * open buckets in a RollupWindow, closed ones queued to the store, the tiers pruned past their
 * retention. At start it opens the store and merges the stored buckets still open (a restart
 * inside a bucket); on shutdown it writes the open buckets.
 */
@Injectable()
export class RollupsService implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('Rollups');
  private readonly readFailures = new RateLimitedLogger(this.logger);
  private readonly pointCache = new RollupPointCache(POINT_CACHE_BYTES);
  private readonly window: RollupWindow;
  readonly queue: RollupWriteQueue;
  private subscription: Subscription | undefined;
  private timers: NodeJS.Timeout[] = [];
  private opened = false;

  constructor(
    private readonly hub: SampleHubService,
    @Inject(ROLLUP_STORE) readonly store: RollupStore,
    @Inject(rollupsConfig.KEY) private readonly config: RollupsConfig,
    @Inject(ROLLUP_CLOCK) private readonly now: () => number,
  ) {
    this.window = new RollupWindow(config.tiers, { now });
    this.queue = new RollupWriteQueue(store, {
      capacity: ROLLUP_QUEUE_CAPACITY,
      onStateChange: (error) =>
        error === undefined
          ? this.logger.log(`The rollup store is back; ${this.queue.queued} buckets waiting`)
          : this.logger.error(`${error}; closed buckets wait in memory and are retried`),
    });
  }

  get tiers(): readonly RollupTier[] {
    return this.config.tiers;
  }

  /** Samples not rolled up because their bucket had closed. */
  get droppedSamples(): number {
    return this.window.dropped;
  }

  async onModuleInit(): Promise<void> {
    try {
      await this.store.open();
      this.opened = true;
      // A gateway merges into every host's open buckets, a host only into its own.
      await this.restore(this.config.mode === 'gateway' ? undefined : [this.config.hostName]);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(`${message}; VITALS_ROLLUPS=off runs without history`, { cause: error });
    }
    const tiers = this.tiers.map((tier) => tier.name).join(', ');
    this.logger.log(`Rollups ${tiers} in ${this.store.label}`);
    if (this.config.mode === 'gateway' && this.config.url === undefined) {
      this.logger.log(
        'This gateway keeps its own SQLite file; set VITALS_ROLLUP_URL to share one store',
      );
    }
    await this.prune();
    this.subscription = this.hub.subscribe('rollups', (event) => {
      if (event instanceof SampleEvent) {
        this.queue.enqueue(this.window.add(event.sample));
      }
    });
    this.every(IDLE_CHECK_MS, () => this.closeIdle());
    this.every(PRUNE_EVERY_MS, () => void this.prune());
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.subscription?.unsubscribe();
    this.timers.forEach((timer) => clearInterval(timer));
    if (!this.opened) {
      return;
    }
    this.queue.enqueue(this.window.flush());
    let timeout: NodeJS.Timeout | undefined;
    const deadline = new Promise<'late'>((resolve) => {
      timeout = setTimeout(() => resolve('late'), SHUTDOWN_FLUSH_MS);
    });
    const result = await Promise.race([this.queue.flush(), deadline]);
    clearTimeout(timeout);
    if (result === 'late' || this.queue.queued > 0) {
      this.logger.warn(`${this.queue.queued} rollup buckets could not be written before exit`);
    }
    await this.store.close().catch(() => undefined);
  }

  /** Queues the buckets of hosts quiet for more than a minute past their end. */
  closeIdle(): void {
    this.queue.enqueue(this.window.closeIdle());
  }

  /** Deletes each tier's buckets older than its retention; a failure is logged and counted. */
  async prune(): Promise<void> {
    for (const tier of this.tiers) {
      try {
        await this.store.prune(tier.name, this.now() - tier.retentionMs);
      } catch (error) {
        this.queue.failures += 1;
        this.queue.lastError = error instanceof Error ? error.message : String(error);
        this.logger.warn(this.queue.lastError);
      }
    }
  }

  /**
   * The points of `tier` from the bucket holding `fromMs` to the one holding `toMs`, by host then
   * time: stored buckets, then those waiting to be written and those still open, from memory.
   * A store that cannot be read throws a DomainError HISTORY_UNAVAILABLE (503).
   */
  async points(
    tier: RollupTier,
    fromMs: number,
    toMs: number,
    hosts?: readonly string[],
    groups?: readonly string[],
  ): Promise<RollupPoint[]> {
    const points: RollupPoint[] = [];
    for (const source of await this.sources(tier, fromMs, toMs, hosts)) {
      try {
        points.push(
          source.accumulator
            ? source.accumulator.toPoint(source.host, source.start, groups)
            : RollupAccumulator.pointOf(source.data ?? '', source.host, source.start, groups),
        );
      } catch {
        // A row this version cannot read is left out of answers.
      }
    }
    return points;
  }

  /**
   * The same points as `points`, each as its JSON text, encoded: what the JSON answer is made
   * of, the stored buckets' texts kept in a cache (RollupPointCache) for the next query.
   */
  async pointTexts(
    tier: RollupTier,
    fromMs: number,
    toMs: number,
    hosts?: readonly string[],
    groups?: readonly string[],
  ): Promise<Buffer[]> {
    // The stored buckets' aggregates are read only when some are not cached.
    const from = bucketStart(tier, fromMs);
    const summaries = await this.read(() =>
      this.store.rangeSummaries(tier.name, from, toMs + 1, hosts),
    );
    const seriesOf = seriesKeys(tier, groups);
    const allCached = summaries.every(
      (row) => this.pointCache.get(seriesOf(row.host), row.start, row.samples) !== undefined,
    );
    const rows = allCached
      ? summaries
      : await this.read(() => this.store.range(tier.name, from, toMs + 1, hosts));
    const texts: Buffer[] = [];
    for (const source of this.withMemory(tier, from, toMs, hosts, rows)) {
      try {
        texts.push(
          source.accumulator
            ? Buffer.from(
                JSON.stringify(source.accumulator.toPoint(source.host, source.start, groups)),
              )
            : this.cached(seriesOf(source.host), source, groups),
        );
      } catch {
        // A row this version cannot read is left out of answers.
      }
    }
    return texts;
  }

  private cached(series: string, source: StoredSource, groups?: readonly string[]): Buffer {
    const { host, start, samples, data } = source;
    const cached = this.pointCache.get(series, start, samples);
    if (cached !== undefined) {
      return cached;
    }
    if (data === undefined) {
      throw new Error('evicted while answering'); // the cache shrank under a concurrent query
    }
    const text = Buffer.from(JSON.stringify(RollupAccumulator.pointOf(data, host, start, groups)));
    this.pointCache.add(series, start, samples, text);
    return text;
  }

  // The buckets of the range by host then start: stored ones (as text), replaced by those in
  // memory (waiting to be written, or open).
  private async sources(
    tier: RollupTier,
    fromMs: number,
    toMs: number,
    hosts?: readonly string[],
  ): Promise<Source[]> {
    const from = bucketStart(tier, fromMs);
    const rows = await this.read(() => this.store.range(tier.name, from, toMs + 1, hosts));
    return this.withMemory(tier, from, toMs, hosts, rows);
  }

  private withMemory(
    tier: RollupTier,
    from: number,
    toMs: number,
    hosts: readonly string[] | undefined,
    rows: readonly StoredSource[],
  ): Source[] {
    const sources = new Map<string, Source>();
    for (const { host, start, samples, data } of rows) {
      sources.set(keyOf({ host, tier: tier.name, start }), { host, start, samples, data });
    }
    for (const bucket of [...this.queue.waiting(), ...this.window.openBuckets()]) {
      const inRange = bucket.tier === tier.name && bucket.start >= from && bucket.start <= toMs;
      if (inRange && (!hosts || hosts.includes(bucket.host))) {
        const { host, start, accumulator } = bucket;
        sources.set(keyOf(bucket), { host, start, samples: accumulator.samples, accumulator });
      }
    }
    return [...sources.values()].sort(byHostThenStart);
  }

  // A read for a query; a failure is logged (rate-limited) and answered 503.
  private async read<T>(query: () => Promise<T>): Promise<T> {
    try {
      return await query();
    } catch (error) {
      this.readFailures.warn(`${errorMessage(error)}; history queries answer 503`);
      throw new DomainError(
        ErrorCode.HISTORY_UNAVAILABLE,
        'The history store cannot be read now; live data goes on. Try again shortly.',
      );
    }
  }

  // The stored buckets of `hosts` (all when undefined) that are open now, written before a
  // restart (on SIGTERM): merged into, so counts add up. Samples already in them (a gateway
  // re-reads recent entries at start) are not added twice (RollupWindow.restore).
  private async restore(hosts: readonly string[] | undefined): Promise<void> {
    const now = this.now();
    for (const tier of this.tiers) {
      for (const row of await this.store.range(tier.name, bucketStart(tier, now), now + 1, hosts)) {
        try {
          this.window.restore({ ...row, accumulator: RollupAccumulator.parse(row.data) });
        } catch {
          this.logger.warn(`A stored ${row.tier} bucket of ${row.host} is unreadable; it is left`);
        }
      }
    }
  }

  private every(periodMs: number, task: () => void): void {
    const timer = setInterval(task, periodMs);
    timer.unref();
    this.timers.push(timer);
  }
}

interface StoredSource {
  host: string;
  start: number;
  samples: number;
  /** The stored state's text; not read when the bucket's point is cached. */
  data?: string;
  accumulator?: undefined;
}
interface MemorySource {
  host: string;
  start: number;
  samples: number;
  data?: undefined;
  accumulator: RollupAccumulator;
}
type Source = StoredSource | MemorySource;

// The cache's series key of each host for `tier` and the selection of `groups`, made once per
// host of a query.
function seriesKeys(tier: RollupTier, groups?: readonly string[]): (host: string) => string {
  const selection = groups ? [...new Set(groups)].sort().join(',') : '*';
  const keys = new Map<string, string>();
  return (host) => {
    let key = keys.get(host);
    if (key === undefined) {
      key = `${host}\u0000${tier.name}\u0000${selection}`;
      keys.set(host, key);
    }
    return key;
  };
}

function byHostThenStart(a: { host: string; start: number }, b: typeof a): number {
  return a.host < b.host ? -1 : a.host > b.host ? 1 : a.start - b.start;
}

function keyOf(bucket: { host: string; tier: string; start: number }): string {
  return `${bucket.host}\u0000${bucket.tier}\u0000${bucket.start}`;
}
