import { type ColumnType, type Kysely, type Migration, Migrator, sql } from 'kysely';
import { driverErrorMessage } from './driver-error-message.js';

/** The table of buckets, as Kysely sees it. */
export interface RollupBucketTable {
  host: string;
  tier: string;
  // A bigint: pg returns int8 as a string (precision), SQLite as a number.
  start: ColumnType<number | string, number, number>;
  samples: number;
  data: string;
}

export interface RollupDatabase {
  rollup_buckets: RollupBucketTable;
}

// vitals' own names, so a database shared with another Kysely app keeps the two histories apart.
export const MIGRATION_TABLE = 'rollup_migration';
const MIGRATION_LOCK_TABLE = 'rollup_migration_lock';

/**
 * The schema's history, oldest first; a name is a schema version and never changes once
 * released. Defined in code, so the compiled service reads no migration files at run time.
 */
export const ROLLUP_MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001_rollup_buckets': {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('rollup_buckets')
        // SQLite runs migrations outside a transaction (Kysely's adapter): a crash between
        // these two statements must not make the next attempt fail.
        .ifNotExists()
        .addColumn('host', 'text', (column) => column.notNull())
        .addColumn('tier', 'text', (column) => column.notNull())
        .addColumn('start', 'bigint', (column) => column.notNull())
        .addColumn('samples', 'integer', (column) => column.notNull())
        .addColumn('data', 'text', (column) => column.notNull())
        .addPrimaryKeyConstraint('rollup_buckets_pkey', ['host', 'tier', 'start'])
        .execute();
      // Ranges over every host and pruning go by tier and start.
      await db.schema
        .createIndex('rollup_buckets_tier_start')
        .ifNotExists()
        .on('rollup_buckets')
        .columns(['tier', 'start'])
        .execute();
    },
  },
  '0002_rollup_bucket_summaries': {
    async up(db: Kysely<unknown>): Promise<void> {
      // A query whose points are cached lists only keys and counts (rangeSummaries): from this
      // index alone, without reading the rows' aggregates (a year of hours is megabytes).
      await db.schema
        .createIndex('rollup_buckets_summaries')
        .ifNotExists()
        .on('rollup_buckets')
        .columns(['host', 'tier', 'start', 'samples'])
        .execute();
    },
  },
};

/** The newest schema version this build knows. */
export const LATEST_SCHEMA_VERSION = Object.keys(ROLLUP_MIGRATIONS).sort().at(-1) ?? '';

/**
 * Brings the schema to the latest version. Throws when the store was written by a version of
 * vitals this one does not know (a newer one): it is never changed then.
 *
 * @param schema PostgreSQL only: the schema holding the tables, created if absent (the
 *   connections' search_path must name it).
 */
export async function migrateRollupStore(db: Kysely<RollupDatabase>, schema?: string) {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(ROLLUP_MIGRATIONS) },
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
    migrationTableSchema: schema,
  });
  // Never throws: it returns the error instead.
  const { error } = await migrator.migrateToLatest();
  if (error === undefined) {
    return;
  }
  // The migrator fails (with "corrupted migrations") on versions it was not given: say why.
  const unknown = await unknownVersions(db).catch(() => []);
  if (unknown.length > 0) {
    throw new Error(
      `its schema version ${unknown.join(', ')} is newer than this vitals knows ` +
        `(${LATEST_SCHEMA_VERSION}); it was written by a newer vitals, upgrade to read it`,
      { cause: error },
    );
  }
  throw new Error(driverErrorMessage(error), { cause: error });
}

/** The versions recorded in the store that are not in ROLLUP_MIGRATIONS. */
async function unknownVersions(db: Kysely<RollupDatabase>): Promise<string[]> {
  const { rows } = await sql<{
    name: string;
  }>`select name from ${sql.table(MIGRATION_TABLE)}`.execute(db);
  return rows.map((row) => row.name).filter((name) => !(name in ROLLUP_MIGRATIONS));
}
