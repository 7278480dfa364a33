import type { SampleReading } from '../hub/sample.js';
import { decodeNode, encodeNode, type EncodedNode, renderEncoded } from './rollup-codec.js';
import { addObject, cloneNode, mergeNode, type RollupNode } from './rollup-node.js';
import { renderNode, type RollupPoint } from './rollup-point.js';

/** The state of a bucket as the store keeps it (one JSON text column). */
export interface RollupState {
  /** Format version. */
  v: 1;
  /** Samples added. */
  n: number;
  /** The groups, encoded (see EncodedNode). */
  g: { [group: string]: EncodedNode };
  /** The newest sample's time, epoch ms: a restart takes only newer samples into the bucket. */
  t?: number;
}

// Fields every sample has that say which sample it is, not what the host did.
const IDENTITY = ['id', 'timestamp', 'host'];

/**
 * What one host did during one bucket: for every number of its samples, found by walking them
 * (no code per group), the min, max, sum and count of non-null values, and the samples added.
 * List elements are matched by their key (see rollup-keys.ts), so elements that come and go
 * keep what they saw. Pure: it knows neither its host nor its bucket, which its owner keeps.
 */
export class RollupAccumulator {
  private constructor(
    private samplesAdded: number,
    private readonly root: RollupNode & { kind: 'object' },
    private newest = Number.NEGATIVE_INFINITY,
  ) {}

  static empty(): RollupAccumulator {
    return new RollupAccumulator(0, { kind: 'object', fields: new Map() });
  }

  /** The accumulator a stored state stands for; throws when it is not one. */
  static fromState(state: unknown): RollupAccumulator {
    const record = state as Partial<RollupState> | null;
    const samples = record?.n;
    if (record?.v !== 1 || typeof samples !== 'number' || !Number.isInteger(samples)) {
      throw new Error('not a rollup state (version 1)');
    }
    const root = decodeNode(record.g ?? {}, samples);
    if (root.kind !== 'object') {
      throw new Error('not a rollup state: its groups are not an object');
    }
    const newest = typeof record.t === 'number' ? record.t : Number.NEGATIVE_INFINITY;
    return new RollupAccumulator(samples, root, newest);
  }

  /** The accumulator of a stored JSON text. */
  static parse(text: string): RollupAccumulator {
    return RollupAccumulator.fromState(JSON.parse(text));
  }

  /**
   * What `parse(text).toPoint(host, startMs, groups)` answers, without building the
   * accumulator (a query's stored buckets are only read); throws when `text` is not a state.
   */
  static pointOf(
    text: string,
    host: string,
    startMs: number,
    groups?: readonly string[],
  ): RollupPoint {
    const state = JSON.parse(text) as Partial<RollupState> | null;
    const samples = state?.n;
    if (state?.v !== 1 || typeof samples !== 'number' || !Number.isInteger(samples)) {
      throw new Error('not a rollup state (version 1)');
    }
    const point: RollupPoint = { timestamp: new Date(startMs).toISOString(), host, samples };
    const stored = state.g ?? {};
    if (typeof stored !== 'object' || Array.isArray(stored)) {
      throw new Error('not a rollup state: its groups are not an object');
    }
    for (const group in stored) {
      if (!groups || groups.includes(group)) {
        point[group] = renderEncoded(stored[group], samples);
      }
    }
    return point;
  }

  get samples(): number {
    return this.samplesAdded;
  }

  /** The newest sample's time in epoch ms (-Infinity when none, or stored without it). */
  get newestSampleMs(): number {
    return this.newest;
  }

  /** Adds `sample`; `timeMs` is its timestamp, when the caller has parsed it already. */
  add(sample: SampleReading, timeMs = Date.parse(sample.timestamp)): this {
    addObject(this.root, sample, '', IDENTITY);
    this.samplesAdded += 1;
    if (timeMs > this.newest) {
      this.newest = timeMs;
    }
    return this;
  }

  /** Adds what `other` (the same host and bucket) saw; `other` is left as it was. */
  merge(other: RollupAccumulator): this {
    mergeNode(this.root, other.root);
    this.samplesAdded += other.samplesAdded;
    this.newest = Math.max(this.newest, other.newest);
    return this;
  }

  clone(): RollupAccumulator {
    const root = cloneNode(this.root) as typeof this.root;
    return new RollupAccumulator(this.samplesAdded, root, this.newest);
  }

  toState(): RollupState {
    const groups = encodeNode(this.root, this.samplesAdded) as RollupState['g'];
    const state: RollupState = { v: 1, n: this.samplesAdded, g: groups };
    if (Number.isFinite(this.newest)) {
      state.t = this.newest;
    }
    return state;
  }

  /** The state as the store's text column holds it. */
  serialize(): string {
    return JSON.stringify(this.toState());
  }

  /**
   * The point of this bucket for `host` starting at `startMs`, with only `groups` when given
   * (groups the bucket never saw are left out).
   */
  toPoint(host: string, startMs: number, groups?: readonly string[]): RollupPoint {
    const point: RollupPoint = {
      timestamp: new Date(startMs).toISOString(),
      host,
      samples: this.samplesAdded,
    };
    for (const [group, node] of this.root.fields) {
      if (!groups || groups.includes(group)) {
        point[group] = renderNode(node);
      }
    }
    return point;
  }
}
