import type { Kysely, Selectable } from 'kysely';
import { driverErrorMessage } from './driver-error-message.js';
import {
  migrateRollupStore,
  type RollupBucketTable,
  type RollupDatabase,
} from './rollup-migrations.js';
import type { RollupKey, RollupRow, RollupStore, RollupSummary, TierName } from './rollup-store.js';

// Rows per INSERT (5 parameters each): well under SQLite's 32766 and pg's 65535 parameters.
const UPSERT_CHUNK = 500;

/** What differs between the databases, given by the factory that made the connection. */
export interface RollupBucketRepositoryOptions {
  /** The store, for messages: the SQLite file, or the URL without its password. */
  label: string;
  /** Bytes the store takes. */
  size: (db: Kysely<RollupDatabase>) => Promise<number>;
  /** PostgreSQL: the schema holding the tables (the connections' search_path names it). */
  schema?: string;
  /** Removes secrets from a driver's message before it is shown. */
  redact?: (message: string) => string;
}

/**
 * The rollup buckets in SQLite or PostgreSQL: every query vitals sends to either, written once
 * with Kysely. The factories (sqlite-rollup-store.factory.ts, postgres-rollup-store.factory.ts)
 * make the connection; this class never knows which database it talks to, except through
 * `options.size`.
 */
export class RollupBucketRepository implements RollupStore {
  readonly label: string;

  constructor(
    private readonly db: Kysely<RollupDatabase>,
    private readonly options: RollupBucketRepositoryOptions,
  ) {
    this.label = options.label;
  }

  async open(): Promise<void> {
    try {
      await migrateRollupStore(this.db, this.options.schema);
    } catch (error) {
      await this.db.destroy().catch(() => undefined);
      throw new Error(`Cannot open the rollup store ${this.label}: ${this.describe(error)}`, {
        cause: error,
      });
    }
  }

  upsert(rows: readonly RollupRow[]): Promise<void> {
    // One row per key (the last wins: one INSERT may not touch a row twice), in key order, so
    // concurrent writers lock the same rows in the same order and cannot deadlock.
    const unique = [...new Map(rows.map((row) => [keyOf(row), row])).values()].sort(compareKeys);
    if (unique.length === 0) {
      return Promise.resolve();
    }
    return this.run('write buckets', () =>
      this.db.transaction().execute(async (trx) => {
        for (let i = 0; i < unique.length; i += UPSERT_CHUNK) {
          await trx
            .insertInto('rollup_buckets')
            .values(unique.slice(i, i + UPSERT_CHUNK).map(toValues))
            .onConflict((conflict) =>
              conflict
                .columns(['host', 'tier', 'start'])
                .doUpdateSet((eb) => ({
                  samples: eb.ref('excluded.samples'),
                  data: eb.ref('excluded.data'),
                }))
                // A writer that saw less of the bucket (a replica restarted inside it, or
                // re-reading Redis at start) does not replace one that saw all of it.
                .where((eb) => eb('excluded.samples', '>=', eb.ref('rollup_buckets.samples'))),
            )
            .execute();
        }
      }),
    );
  }

  range(tier: TierName, from: number, to: number, hosts?: readonly string[]): Promise<RollupRow[]> {
    // Selected with `data`, so every row has it.
    return this.select(tier, from, to, hosts, [
      'host',
      'tier',
      'start',
      'samples',
      'data',
    ]) as Promise<RollupRow[]>;
  }

  rangeSummaries(
    tier: TierName,
    from: number,
    to: number,
    hosts?: readonly string[],
  ): Promise<RollupSummary[]> {
    return this.select(tier, from, to, hosts, ['host', 'tier', 'start', 'samples']);
  }

  private select<Column extends keyof RollupBucketTable>(
    tier: TierName,
    from: number,
    to: number,
    hosts: readonly string[] | undefined,
    columns: readonly Column[],
  ): Promise<(RollupSummary & Partial<RollupRow>)[]> {
    if (hosts?.length === 0) {
      return Promise.resolve([]);
    }
    return this.run('read buckets', async () => {
      let query = this.db
        .selectFrom('rollup_buckets')
        .select(columns)
        .where('tier', '=', tier)
        .where('start', '>=', from)
        .where('start', '<', to);
      if (hosts !== undefined) {
        query = query.where('host', 'in', hosts);
      }
      // Sorted here, not by ORDER BY: PostgreSQL would order hosts by the database's collation
      // (locale-dependent, case-insensitive in most), SQLite by bytes.
      const rows = (await query.execute()) as Partial<Selectable<RollupBucketTable>>[];
      return rows.map(toRow).sort(compareKeys);
    });
  }

  prune(tier: TierName, before: number): Promise<number> {
    return this.run('prune buckets', async () => {
      const result = await this.db
        .deleteFrom('rollup_buckets')
        .where('tier', '=', tier)
        .where('start', '<', before)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    });
  }

  size(): Promise<number> {
    return this.run('measure its size', () => this.options.size(this.db));
  }

  close(): Promise<void> {
    return this.db.destroy();
  }

  private async run<T>(what: string, query: () => Promise<T>): Promise<T> {
    try {
      return await query();
    } catch (error) {
      throw new Error(`The rollup store ${this.label} failed to ${what}: ${this.describe(error)}`, {
        cause: error,
      });
    }
  }

  private describe(error: unknown): string {
    const redact = this.options.redact ?? ((message: string) => message);
    return redact(driverErrorMessage(error));
  }
}

function toValues(row: RollupRow) {
  const { host, tier, start, samples, data } = row;
  return { host, tier, start, samples, data };
}

function toRow(row: Partial<Selectable<RollupBucketTable>>): RollupSummary & Partial<RollupRow> {
  const summary: RollupSummary & Partial<RollupRow> = {
    host: row.host as string,
    tier: row.tier as TierName,
    start: Number(row.start),
    samples: row.samples as number,
  };
  if (row.data !== undefined) {
    summary.data = row.data;
  }
  return summary;
}

function keyOf(key: RollupKey): string {
  return `${key.host}\u0000${key.tier}\u0000${key.start}`;
}

function compareKeys(a: RollupKey, b: RollupKey): number {
  return compareText(a.host, b.host) || compareText(a.tier, b.tier) || a.start - b.start;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
