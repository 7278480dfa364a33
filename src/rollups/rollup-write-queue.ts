import type { RollupBucket } from './rollup-bucket.js';
import type { RollupRow, RollupStore } from './rollup-store.js';

export interface RollupWriteQueueOptions {
  /** Closed buckets kept while the store fails; past it the oldest are dropped (counted). */
  capacity: number;
  /** Buckets per transaction. */
  batchSize?: number;
  /** The first retry's delay after a failed write; doubled each failure up to retryMaxMs. */
  retryMinMs?: number;
  retryMaxMs?: number;
  /** Told once per change: the store failing (with the message) or back (undefined). */
  onStateChange?: (error: string | undefined) => void;
}

/** The row the store keeps for `bucket`. */
export function toRow(bucket: RollupBucket): RollupRow {
  const { host, tier, start, accumulator } = bucket;
  return { host, tier, start, samples: accumulator.samples, data: accumulator.serialize() };
}

/**
 * Closed buckets on their way to the store: enqueued by the hub subscription (which never
 * waits), written in the background one transaction per batch, retried with backoff while the
 * store fails, bounded so that a store down for days cannot grow the memory.
 */
export class RollupWriteQueue {
  written = 0;
  failures = 0;
  dropped = 0;
  lastError: string | undefined;
  private readonly pending: RollupBucket[] = [];
  private inFlight: RollupBucket[] = [];
  private writing: Promise<void> | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private delayMs: number;
  private failing = false;
  private stopped = false;
  private readonly batchSize: number;
  private readonly retryMinMs: number;
  private readonly retryMaxMs: number;

  constructor(
    private readonly store: Pick<RollupStore, 'upsert'>,
    private readonly options: RollupWriteQueueOptions,
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.retryMinMs = options.retryMinMs ?? 1000;
    this.retryMaxMs = options.retryMaxMs ?? 60_000;
    this.delayMs = this.retryMinMs;
  }

  /** Buckets waiting, the batch being written included. */
  get queued(): number {
    return this.pending.length + this.inFlight.length;
  }

  /** The buckets not written yet, oldest first (a query serves them like stored ones). */
  waiting(): RollupBucket[] {
    return [...this.inFlight, ...this.pending];
  }

  /** Queues `buckets` and starts a write unless one runs or a retry waits. */
  enqueue(buckets: readonly RollupBucket[]): void {
    if (buckets.length === 0) {
      return;
    }
    this.pending.push(...buckets);
    this.trim();
    this.kick();
  }

  /** Waits for the write under way, then writes what is queued (once per batch, no retry). */
  async flush(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    await this.writing;
    while (this.pending.length > 0 && (await this.writeBatch())) {
      // Next batch.
    }
  }

  /** Stops retrying (the queue is dropped with the process). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
  }

  private kick(): void {
    if (this.stopped || this.writing || this.retryTimer || this.pending.length === 0) {
      return;
    }
    this.writing = this.writeBatch().then((ok) => {
      this.writing = undefined;
      if (ok) {
        this.kick();
      } else if (!this.stopped) {
        this.retryTimer = setTimeout(() => {
          this.retryTimer = undefined;
          this.kick();
        }, this.delayMs);
        this.retryTimer.unref();
        this.delayMs = Math.min(this.delayMs * 2, this.retryMaxMs);
      }
    });
  }

  // True when written; never rejects.
  private async writeBatch(): Promise<boolean> {
    this.inFlight = this.pending.splice(0, this.batchSize);
    try {
      await this.store.upsert(this.inFlight.map(toRow));
      this.written += this.inFlight.length;
      this.inFlight = [];
      this.delayMs = this.retryMinMs;
      if (this.failing) {
        this.failing = false;
        this.options.onStateChange?.(undefined);
      }
      return true;
    } catch (error) {
      this.pending.unshift(...this.inFlight);
      this.inFlight = [];
      this.trim();
      this.failures += 1;
      this.lastError = error instanceof Error ? error.message : String(error);
      if (!this.failing) {
        this.failing = true;
        this.options.onStateChange?.(this.lastError);
      }
      return false;
    }
  }

  private trim(): void {
    const excess = this.queued - this.options.capacity;
    if (excess > 0) {
      this.pending.splice(0, excess);
      this.dropped += excess;
    }
  }
}
