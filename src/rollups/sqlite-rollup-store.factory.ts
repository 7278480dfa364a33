import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, sql, SqliteDialect } from 'kysely';
import { RollupBucketRepository } from './rollup-bucket.repository.js';
import type { RollupDatabase } from './rollup-migrations.js';

/** The file in VITALS_DATA_DIR. */
export const SQLITE_FILE_NAME = 'vitals.db';

// How long a write waits for another process's lock. better-sqlite3 waits synchronously, so
// this blocks the event loop: one vitals process per data directory is the intended use.
const BUSY_TIMEOUT_MS = 2000;

/**
 * The rollup store in one SQLite file, `<dataDir>/vitals.db`, the directory created if absent.
 * Nothing is touched before `open()`; it then fails naming the file and the problem (a directory
 * that cannot be made, a file that is not a database, a schema from a newer vitals).
 */
export function createSqliteRollupStore(dataDir: string): RollupBucketRepository {
  const directory = resolve(dataDir);
  const file = join(directory, SQLITE_FILE_NAME);
  const db = new Kysely<RollupDatabase>({
    dialect: new SqliteDialect({
      // Called on the first query, that is by open(); a throw becomes its rejection.
      database: () => Promise.resolve().then(() => openDatabase(directory, file)),
    }),
  });
  return new RollupBucketRepository(db, { label: file, size: sqliteSize });
}

// mkdirSync's `recursive` retries forever on ENOENT under /proc (Node 20), hanging startup;
// one level at a time, the first failure is the answer.
function makeDirectories(directory: string): void {
  const missing: string[] = [];
  for (let path = directory; !existsSync(path); path = dirname(path)) {
    missing.unshift(path);
    if (dirname(path) === path) {
      break;
    }
  }
  for (const path of missing) {
    mkdirSync(path);
  }
}

function openDatabase(directory: string, file: string): Database.Database {
  try {
    makeDirectories(directory);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new Error(`cannot create the directory ${directory} (${code})`, { cause: error });
  }
  const database = new Database(file, { timeout: BUSY_TIMEOUT_MS });
  try {
    // The first read of the file: a file that is not a database fails here.
    // 16 KiB pages (on a new file; SQLite's default is 4): a bucket is 1–2.5 KB of text, and a
    // 4 KiB page holds a whole number of rows, so one of 2.1 KB took a page to itself.
    database.pragma('page_size = 16384');
    database.pragma('journal_mode = WAL');
    // Safe with WAL (no corruption on power loss, the last commits may be lost), far fewer fsyncs.
    database.pragma('synchronous = NORMAL');
    return database;
  } catch (error) {
    database.close();
    throw error;
  }
}

async function sqliteSize(db: Kysely<RollupDatabase>): Promise<number> {
  const { rows } = await sql<{ bytes: number }>`
    select page_count * page_size as bytes from pragma_page_count(), pragma_page_size()
  `.execute(db);
  return Number(rows[0]?.bytes ?? 0);
}
