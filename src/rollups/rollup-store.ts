import type { TierName } from './rollup-tiers.js';

/** A rollup tier (`1m`, `15m`, `1h`), as rollup-tiers.ts defines them. */
export type { TierName };

/** One stored bucket. The store keeps `data` opaque: the aggregate, as JSON text. */
export interface RollupRow {
  host: string;
  tier: TierName;
  /** The bucket's start, epoch milliseconds. */
  start: number;
  /** How many samples the bucket aggregates. */
  samples: number;
  /** The aggregate, as JSON text. */
  data: string;
}

/** A stored bucket without its aggregate. */
export type RollupSummary = Omit<RollupRow, 'data'>;

/** What identifies a bucket. */
export type RollupKey = Pick<RollupRow, 'host' | 'tier' | 'start'>;

/**
 * Where the rollup buckets are kept: SQLite in VITALS_DATA_DIR, or PostgreSQL at
 * VITALS_ROLLUP_URL. Every method but `open` and `close` fails with an Error naming the store.
 */
export interface RollupStore {
  /** What the store is, for messages: the SQLite file, or the URL without its password. */
  readonly label: string;
  /** Opens and migrates; throws an Error whose message names the store and the problem. */
  open(): Promise<void>;
  /**
   * One transaction; idempotent: (host, tier, start) is the key, and a row written again
   * replaces the old one unless it aggregates fewer samples (then the old one is kept).
   */
  upsert(rows: readonly RollupRow[]): Promise<void>;
  /** Buckets of `tier` with from <= start < to, for these hosts (all when undefined), by host then start. */
  range(tier: TierName, from: number, to: number, hosts?: readonly string[]): Promise<RollupRow[]>;
  /** What `range` lists, without the aggregates: a query whose buckets are cached needs no more. */
  rangeSummaries(
    tier: TierName,
    from: number,
    to: number,
    hosts?: readonly string[],
  ): Promise<RollupSummary[]>;
  /** Deletes buckets of `tier` that start before `before`; returns how many. */
  prune(tier: TierName, before: number): Promise<number>;
  /** Bytes the store takes (SQLite: page_count*page_size; Postgres: pg_total_relation_size), for sizing. */
  size(): Promise<number>;
  /** Closes the file or the pool; the store cannot be opened again (make a new one). */
  close(): Promise<void>;
}
