import pg from 'pg';
import {
  describeWithPostgres,
  TEST_POSTGRES_URL as URL_,
  testSchema,
} from '../../test/helpers/postgres.js';
import { freePort } from '../../test/helpers/redis.js';
import {
  bucket,
  MINUTE,
  rollupStoreContract,
  T0,
} from '../../test/helpers/rollup-store.contract.js';
import { LATEST_SCHEMA_VERSION, MIGRATION_TABLE } from './rollup-migrations.js';
import { createPostgresRollupStore } from './postgres-rollup-store.factory.js';
import type { RollupRow, RollupStore } from './rollup-store.js';

// One schema per run, dropped after it: runs and other suites never see each other's rows.
const SCHEMA = testSchema();
const [describeIfReachable, title] = await describeWithPostgres(
  `the PostgreSQL rollup store in schema ${SCHEMA}`,
);

describeIfReachable(title, () => {
  let admin: pg.Client;
  const create = (schema = SCHEMA) => createPostgresRollupStore(URL_, { schema });

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: URL_ });
    await admin.connect();
  });

  afterAll(async () => {
    await admin.query(`drop schema if exists ${SCHEMA} cascade`);
    await admin.end();
  });

  describe('shares the store contract', () => {
    rollupStoreContract(() => create());
  });

  describe('with two writers', () => {
    let writers: RollupStore[];

    beforeEach(async () => {
      writers = [create(), create()];
      await Promise.all(writers.map((writer) => writer.open()));
      await writers[0]?.prune('1m', Number.MAX_SAFE_INTEGER);
    });

    afterEach(async () => {
      await Promise.all(writers.map((writer) => writer.close()));
    });

    it('should keep one row per key with identical values when both upsert the same buckets at once', async () => {
      const [a, b] = writers as [RollupStore, RollupStore];
      const rows = Array.from({ length: 600 }, (_, i) => bucket(`host-${i % 7}`, T0 + i * MINUTE));
      const reversed = [...rows].reverse();

      for (let round = 0; round < 5; round++) {
        await Promise.all([a.upsert(rows), b.upsert(reversed), a.upsert(reversed)]);
      }

      const stored = await b.range('1m', 0, Number.MAX_SAFE_INTEGER);
      const expected = [...rows].sort((x, y) =>
        x.host < y.host ? -1 : x.host > y.host ? 1 : x.start - y.start,
      );
      expect(stored).toEqual(expected);
    });

    it('should keep, whole, the row that saw more samples when both write different values at once', async () => {
      const [a, b] = writers as [RollupStore, RollupStore];
      const version = (samples: number) => (row: RollupRow) => ({
        ...row,
        samples,
        data: JSON.stringify({ samples }),
      });
      const rows = Array.from({ length: 400 }, (_, i) => bucket(`host-${i % 5}`, T0 + i * MINUTE));

      await Promise.all([a.upsert(rows.map(version(1))), b.upsert(rows.map(version(2)))]);

      const stored = await a.range('1m', 0, Number.MAX_SAFE_INTEGER);
      expect(stored).toHaveLength(400);
      for (const row of stored) {
        expect(row.data).toBe(JSON.stringify({ samples: 2 }));
        expect(row.samples).toBe(2);
      }
    });
  });

  it('should create its tables in the schema it was given', async () => {
    const store = create();
    await store.open();
    await store.close();

    const { rows } = await admin.query<{ table_name: string }>(
      'select table_name from information_schema.tables where table_schema = $1 order by 1',
      [SCHEMA],
    );

    expect(rows.map((row) => row.table_name)).toEqual([
      'rollup_buckets',
      MIGRATION_TABLE,
      `${MIGRATION_TABLE}_lock`,
    ]);
  });

  it('should refuse a store written by a newer vitals and leave it unchanged', async () => {
    const schema = `${SCHEMA}_future`;
    const first = create(schema);
    await first.open();
    await first.upsert([bucket('web-1', T0)]);
    await first.close();
    await admin.query(
      `insert into ${schema}.${MIGRATION_TABLE} (name, timestamp) values ($1, $2)`,
      ['9999_from_the_future', new Date().toISOString()],
    );

    try {
      const store = create(schema);

      await expect(store.open()).rejects.toThrow(
        `Cannot open the rollup store ${store.label}: its schema version 9999_from_the_future ` +
          `is newer than this vitals knows (${LATEST_SCHEMA_VERSION})`,
      );
      const { rows } = await admin.query(`select count(*)::int as n from ${schema}.rollup_buckets`);
      expect(rows).toEqual([{ n: 1 }]);
    } finally {
      await admin.query(`drop schema if exists ${schema} cascade`);
    }
  });

  it('should name the URL without its password when PostgreSQL is unreachable', async () => {
    const port = await freePort();
    const store = createPostgresRollupStore(`postgres://vitals:s3cret@127.0.0.1:${port}/rollups`);

    const error = await store.open().then(
      () => undefined,
      (thrown: unknown) => thrown as Error,
    );

    expect(store.label).toBe(`postgres://vitals@127.0.0.1:${port}/rollups`);
    expect(error?.message).toBe(
      `Cannot open the rollup store postgres://vitals@127.0.0.1:${port}/rollups: ` +
        `connect ECONNREFUSED 127.0.0.1:${port}`,
    );
    expect(String(error?.stack)).not.toContain('s3cret');
  });

  it('should throw at once without echoing the text when the URL is not a postgres one', () => {
    expect(() => createPostgresRollupStore('mysql://root:s3cret@db/x')).toThrow(
      'Cannot open the rollup store mysql://root@db/x: not a postgres:// URL',
    );
    expect(() => createPostgresRollupStore('s3cret')).toThrow(
      'Cannot open the rollup store: its URL is not a valid URL',
    );
  });
});
