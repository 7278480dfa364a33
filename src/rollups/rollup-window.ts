import type { SampleReading } from '../hub/sample.js';
import { RollupAccumulator } from './rollup-accumulator.js';
import type { RollupBucket } from './rollup-bucket.js';
import { bucketStart, type RollupTier, type TierName } from './rollup-tiers.js';

export interface RollupWindowOptions {
  /** The clock, for closing the buckets of hosts that went quiet. Date.now by default. */
  now?: () => number;
  /** How long after its end a quiet host's bucket is closed by closeIdle. A minute by default. */
  idleGraceMs?: number;
}

// The open bucket of one host and tier, and where its closed buckets end.
interface Slot {
  open?: RollupBucket;
  /** Samples before this (the end of the last closed bucket) are too late to keep. */
  closedUntilMs: number;
  /**
   * The newest sample in the open bucket when it was restored from the store: samples up to it
   * are in it already (a gateway re-reads recent entries from Redis at start).
   */
  restoredUntilMs?: number;
}

/**
 * The buckets still open, per host and tier. Samples are placed by their own timestamp: one
 * past the open bucket's end closes it (a sample exactly at the boundary opens the next one),
 * one for a bucket already closed (late by more than a bucket) is dropped and counted.
 */
export class RollupWindow {
  private readonly slots = new Map<string, Map<TierName, Slot>>();
  private readonly now: () => number;
  private readonly idleGraceMs: number;
  private droppedSamples = 0;

  constructor(
    private readonly tiers: readonly RollupTier[],
    options: RollupWindowOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.idleGraceMs = options.idleGraceMs ?? 60_000;
  }

  /** Samples not kept by a tier because its bucket had closed, counted once per tier. */
  get dropped(): number {
    return this.droppedSamples;
  }

  /** Adds `sample` to every tier; returns the buckets it closed, finest tier first. */
  add(sample: SampleReading): RollupBucket[] {
    const timeMs = Date.parse(sample.timestamp);
    if (Number.isNaN(timeMs)) {
      this.droppedSamples += this.tiers.length;
      return [];
    }
    const closed: RollupBucket[] = [];
    for (const tier of this.tiers) {
      const slot = this.slot(sample.host, tier.name);
      const startMs = bucketStart(tier, timeMs);
      if (startMs < slot.closedUntilMs || (slot.open && startMs < slot.open.start)) {
        this.droppedSamples += 1;
        continue;
      }
      if (slot.restoredUntilMs !== undefined && timeMs <= slot.restoredUntilMs) {
        continue;
      }
      if (slot.open && startMs > slot.open.start) {
        closed.push(this.close(slot, tier));
      }
      slot.open ??= {
        host: sample.host,
        tier: tier.name,
        start: startMs,
        accumulator: RollupAccumulator.empty(),
      };
      slot.open.accumulator.add(sample, timeMs);
    }
    return closed;
  }

  /**
   * Merges a stored bucket (written before a restart) into the window: it becomes the open
   * bucket of its host and tier, or is merged into that bucket when it has the same start.
   * Samples no newer than its newest are then skipped: they are in it already.
   * False (nothing done) when the window has moved past it or has another bucket open.
   */
  restore(bucket: RollupBucket): boolean {
    const tier = this.tiers.find((candidate) => candidate.name === bucket.tier);
    if (!tier) {
      return false;
    }
    const slot = this.slot(bucket.host, tier.name);
    if (bucket.start < slot.closedUntilMs) {
      return false;
    }
    if (slot.open && slot.open.start !== bucket.start) {
      return false;
    }
    if (slot.open) {
      slot.open.accumulator.merge(bucket.accumulator);
    } else {
      slot.open = { ...bucket, accumulator: bucket.accumulator.clone() };
    }
    slot.restoredUntilMs = Math.max(
      slot.restoredUntilMs ?? Number.NEGATIVE_INFINITY,
      bucket.accumulator.newestSampleMs,
    );
    return true;
  }

  /** The open buckets (a query's newest points), finest tier first, without closing them. */
  openBuckets(): RollupBucket[] {
    return this.openSlots().map(([slot]) => slot.open as RollupBucket);
  }

  /** Closes and returns the buckets that ended more than the idle grace ago (quiet hosts). */
  closeIdle(): RollupBucket[] {
    const cutoffMs = this.now() - this.idleGraceMs;
    return this.openSlots()
      .filter(([slot, tier]) => (slot.open as RollupBucket).start + tier.stepMs <= cutoffMs)
      .map(([slot, tier]) => this.close(slot, tier));
  }

  /** Closes and returns every open bucket (on shutdown), finest tier first. */
  flush(): RollupBucket[] {
    return this.openSlots().map(([slot, tier]) => this.close(slot, tier));
  }

  private openSlots(): [Slot, RollupTier][] {
    return this.tiers.flatMap((tier) =>
      [...this.slots.values()].flatMap((slots): [Slot, RollupTier][] => {
        const slot = slots.get(tier.name);
        return slot?.open ? [[slot, tier]] : [];
      }),
    );
  }

  private close(slot: Slot, tier: RollupTier): RollupBucket {
    const bucket = slot.open as RollupBucket;
    slot.open = undefined;
    slot.restoredUntilMs = undefined;
    slot.closedUntilMs = bucket.start + tier.stepMs;
    return bucket;
  }

  private slot(host: string, tier: TierName): Slot {
    let slots = this.slots.get(host);
    if (!slots) {
      slots = new Map();
      this.slots.set(host, slots);
    }
    let slot = slots.get(tier);
    if (!slot) {
      slot = { closedUntilMs: Number.NEGATIVE_INFINITY };
      slots.set(tier, slot);
    }
    return slot;
  }
}
