import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { bucket, rollupStoreContract, T0 } from '../../test/helpers/rollup-store.contract.js';
import { LATEST_SCHEMA_VERSION, MIGRATION_TABLE, ROLLUP_MIGRATIONS } from './rollup-migrations.js';
import { createSqliteRollupStore } from './sqlite-rollup-store.factory.js';

describe('the SQLite rollup store in a temporary directory', () => {
  let root: string;
  let dataDir: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'vitals-rollups-'));
    // Absent until the store creates it, like a fresh VITALS_DATA_DIR.
    dataDir = join(root, 'data', 'nested');
  });

  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  describe('shares the store contract', () => {
    rollupStoreContract(() => createSqliteRollupStore(dataDir));
  });

  it('should create the directory and one WAL-mode file when opened', async () => {
    const store = createSqliteRollupStore(dataDir);
    expect(existsSync(dataDir)).toBe(false);

    await store.open();
    await store.upsert([bucket('web-1', T0)]);

    const file = join(dataDir, 'vitals.db');
    expect(store.label).toBe(file);
    const reader = new Database(file, { readonly: true });
    expect(reader.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(reader.prepare(`select name from ${MIGRATION_TABLE} order by name`).all()).toEqual(
      Object.keys(ROLLUP_MIGRATIONS).map((name) => ({ name })),
    );
    expect(Object.keys(ROLLUP_MIGRATIONS).at(-1)).toBe(LATEST_SCHEMA_VERSION);
    reader.close();
    await store.close();
  });

  it('should name the file and the problem when the file is not a database', async () => {
    const file = join(root, 'vitals.db');
    writeFileSync(file, randomBytes(8192));
    const store = createSqliteRollupStore(root);

    await expect(store.open()).rejects.toThrow(
      `Cannot open the rollup store ${file}: file is not a database`,
    );
  });

  it('should name the file and the problem when the directory cannot be created', async () => {
    // A path under a regular file: not even root can make that directory.
    writeFileSync(join(root, 'plain-file'), '');
    const directory = join(root, 'plain-file', 'data');
    const store = createSqliteRollupStore(directory);

    await expect(store.open()).rejects.toThrow(
      `Cannot open the rollup store ${directory}/vitals.db: ` +
        `cannot create the directory ${directory} (ENOTDIR)`,
    );
  });

  it('should fail at once, naming the directory, when it would be made under /proc', async () => {
    // Node's recursive mkdir retries forever there: a data directory there hung the start.
    const directory = `/proc/vitals-${process.pid}/data`;
    const store = createSqliteRollupStore(directory);

    await expect(store.open()).rejects.toThrow(
      new RegExp(`cannot create the directory /proc/vitals-${process.pid}(/data)? \\(E[A-Z]+\\)$`),
    );
  });

  it('should refuse a store written by a newer vitals and leave it unchanged', async () => {
    const first = createSqliteRollupStore(dataDir);
    await first.open();
    await first.upsert([bucket('web-1', T0)]);
    await first.close();
    const file = join(dataDir, 'vitals.db');
    const writer = new Database(file);
    writer
      .prepare(`insert into ${MIGRATION_TABLE} (name, timestamp) values (?, ?)`)
      .run('9999_from_the_future', new Date().toISOString());
    writer.close();

    const store = createSqliteRollupStore(dataDir);

    await expect(store.open()).rejects.toThrow(
      `Cannot open the rollup store ${file}: its schema version 9999_from_the_future is newer ` +
        `than this vitals knows (${LATEST_SCHEMA_VERSION})`,
    );
    const reader = new Database(file, { readonly: true });
    expect(reader.prepare('select count(*) as n from rollup_buckets').get()).toEqual({ n: 1 });
    reader.close();
  });
});
