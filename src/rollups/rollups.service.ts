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
import type { RollupBucket } from './rollup-bucket.js';
import type { RollupPoint } from './rollup-point.js';
import type { RollupStore } from './rollup-store.js';
import { ROLLUP_CLOCK, ROLLUP_STORE } from './rollup-store.token.js';
import { bucketStart, type RollupTier } from './rollup-tiers.js';
import { RollupWindow } from './rollup-window.js';
import { RollupWriteQueue } from './rollup-write-queue.js';
import { rollupsConfig, type RollupsConfig } from './rollups.config.js';

/** Closed buckets kept in memory while the store fails: two weeks of one host's minutes. */
export const ROLLUP_QUEUE_CAPACITY = 20_000;
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
    const from = bucketStart(tier, fromMs);
    const buckets = new Map<string, RollupBucket>();
    const rows = await this.store.range(tier.name, from, toMs + 1, hosts).catch((error) => {
      this.readFailures.warn(`${errorMessage(error)}; history queries answer 503`);
      throw new DomainError(
        ErrorCode.HISTORY_UNAVAILABLE,
        'The history store cannot be read now; live data goes on. Try again shortly.',
      );
    });
    for (const row of rows) {
      try {
        const accumulator = RollupAccumulator.parse(row.data);
        buckets.set(keyOf(row), { ...row, accumulator });
      } catch {
        // A row this version cannot read is left out of answers.
      }
    }
    for (const bucket of [...this.queue.waiting(), ...this.window.openBuckets()]) {
      const inRange = bucket.tier === tier.name && bucket.start >= from && bucket.start <= toMs;
      if (inRange && (!hosts || hosts.includes(bucket.host))) {
        buckets.set(keyOf(bucket), bucket);
      }
    }
    return [...buckets.values()]
      .sort((a, b) => (a.host < b.host ? -1 : a.host > b.host ? 1 : a.start - b.start))
      .map((bucket) => bucket.accumulator.toPoint(bucket.host, bucket.start, groups));
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

function keyOf(bucket: { host: string; tier: string; start: number }): string {
  return `${bucket.host}\u0000${bucket.tier}\u0000${bucket.start}`;
}
