import { Kysely, PostgresDialect, sql } from 'kysely';
import { Pool } from 'pg';
import { RollupBucketRepository } from './rollup-bucket.repository.js';
import type { RollupDatabase } from './rollup-migrations.js';

export interface PostgresRollupStoreOptions {
  /** The schema holding the tables, created if absent (tests use one per run); default: the URL's search_path. */
  schema?: string;
  /** Connections at most (default 4: a tick writes one transaction, queries read a few). */
  maxConnections?: number;
}

// A plain identifier: it is spliced into the connections' search_path.
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const CONNECT_TIMEOUT_MS = 5000;

/**
 * The rollup store in PostgreSQL at `url` (postgres://user:password@host:port/database),
 * shared by every replica. Nothing is connected before `open()`; it then fails naming the URL
 * without its password, and the problem. Throws at once for a URL that is not one.
 */
export function createPostgresRollupStore(
  url: string,
  options: PostgresRollupStoreOptions = {},
): RollupBucketRepository {
  const { schema, maxConnections = 4 } = options;
  const parsed = parsePostgresUrl(url);
  const label = `${redactedUrl(parsed)}${schema === undefined ? '' : ` (schema ${schema})`}`;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new Error(
      `Cannot open the rollup store ${label}: the schema name is not a plain identifier`,
    );
  }
  const pool = new Pool({
    connectionString: url,
    max: maxConnections,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    application_name: 'vitals',
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  });
  // An idle connection that dies (a server restart) is reported here; without a listener the
  // process would exit. The next query reports it, and the pool connects again.
  pool.on('error', () => undefined);
  const db = new Kysely<RollupDatabase>({ dialect: new PostgresDialect({ pool }) });
  const secrets = passwordForms(parsed);
  return new RollupBucketRepository(db, {
    label,
    size: postgresSize,
    schema,
    redact: (message) => secrets.reduce((text, secret) => text.replaceAll(secret, '***'), message),
  });
}

/** `url` without its password or query (which may hold one), for messages. */
export function redactedUrl(url: URL): string {
  const user = url.username === '' ? '' : `${url.username}@`;
  return `${url.protocol}//${user}${url.host}${url.pathname}`;
}

function parsePostgresUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // The text is not shown: it may hold a password.
    throw new Error('Cannot open the rollup store: its URL is not a valid URL');
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new Error(`Cannot open the rollup store ${redactedUrl(parsed)}: not a postgres:// URL`);
  }
  return parsed;
}

function passwordForms(url: URL): string[] {
  const forms = [url.password, url.searchParams.get('password') ?? ''];
  try {
    forms.push(decodeURIComponent(url.password));
  } catch {
    // Not percent-encoded text: the raw form is enough.
  }
  return [...new Set(forms)].filter((form) => form !== '');
}

async function postgresSize(db: Kysely<RollupDatabase>): Promise<number> {
  // The table's heap, indexes and TOAST; bigint comes back from pg as a string.
  const { rows } = await sql<{ bytes: string | null }>`
    select pg_total_relation_size(to_regclass('rollup_buckets')) as bytes
  `.execute(db);
  return Number(rows[0]?.bytes ?? 0);
}
