import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { driverErrorMessage } from '../../src/rollups/driver-error-message.js';
import { redactedUrl } from '../../src/rollups/postgres-rollup-store.factory.js';
import { freePort } from './redis.js';

const run = promisify(execFile);

/** The machine's PostgreSQL the store tests use (trust auth, database `test`). */
export const TEST_POSTGRES_URL =
  process.env.VITALS_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A schema name of its own for one run of one suite, dropped by the suite after it. */
export function testSchema(): string {
  return `vitals_test_${process.pid}_${randomBytes(4).toString('hex')}`;
}

/** Why `url` cannot be connected to, or undefined when it can. */
export async function postgresUnreachable(url = TEST_POSTGRES_URL): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    return undefined;
  } catch (error) {
    return driverErrorMessage(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * `describe` when PostgreSQL answers at TEST_POSTGRES_URL or under CI (where its absence must
 * fail the suite), else `describe.skip`; and the title, saying why when skipped.
 */
export async function describeWithPostgres(title: string): Promise<[typeof describe, string]> {
  const reason = await postgresUnreachable();
  if (reason === undefined) {
    return [describe, title];
  }
  const where = redactedUrl(new URL(TEST_POSTGRES_URL));
  const why = `${process.env.CI ? 'failing under CI' : 'skipped'}: no PostgreSQL at ${where}: ${reason}`;
  return [process.env.CI ? describe : describe.skip, `${title} (${why})`];
}

// Debian keeps the server's programs out of PATH, in /usr/lib/postgresql/<major>/bin.
function serverPrograms(): string | undefined {
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  const found = majors
    .map((major) => join(root, major, 'bin'))
    .find((bin) => existsSync(join(bin, 'initdb')));
  return found;
}

/**
 * A PostgreSQL server of a test's own, in a temporary directory on a free port, that the test
 * may stop and start (the machine's shared one must not be). Root runs it as `postgres`, since
 * the server refuses to run as root.
 */
export class PrivatePostgres {
  private constructor(
    private readonly bin: string,
    private readonly directory: string,
    readonly port: number,
  ) {}

  /** Why a private server cannot be made here (no server programs), or undefined. */
  static unavailable(): string | undefined {
    return serverPrograms() === undefined
      ? 'no PostgreSQL server programs (initdb) under /usr/lib/postgresql'
      : undefined;
  }

  /** Makes a new cluster (initdb) and starts it. */
  static async create(): Promise<PrivatePostgres> {
    const bin = serverPrograms();
    if (bin === undefined) {
      throw new Error(PrivatePostgres.unavailable());
    }
    const directory = mkdtempSync(join(tmpdir(), 'vitals-pg-'));
    if (process.getuid?.() === 0) {
      const { stdout: uid } = await run('id', ['-u', 'postgres']);
      const { stdout: gid } = await run('id', ['-g', 'postgres']);
      chownSync(directory, Number(uid), Number(gid));
    }
    const server = new PrivatePostgres(bin, directory, await freePort());
    await server.asOwner('initdb', [
      ...['-D', server.data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'],
    ]);
    await server.start();
    return server;
  }

  /** The server's URL, database `postgres`. */
  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  private get data(): string {
    return join(this.directory, 'data');
  }

  /** Starts the server and waits until it accepts connections. */
  async start(): Promise<void> {
    const options = `-p ${this.port} -k ${this.directory} -c listen_addresses=127.0.0.1 -c fsync=off`;
    await this.asOwner('pg_ctl', [
      ...['-D', this.data, '-l', join(this.directory, 'server.log'), '-o', options],
      ...['-w', '-t', '30', 'start'],
    ]);
  }

  /** Stops the server as an operator's restart does (`-m fast`: connections are cut). */
  async stop(): Promise<void> {
    await this.asOwner('pg_ctl', ['-D', this.data, '-m', 'fast', '-w', 'stop']);
  }

  /** Stops the server if it runs and deletes its files. */
  async destroy(): Promise<void> {
    await this.stop().catch(() => undefined);
    rmSync(this.directory, { recursive: true, force: true });
  }

  private async asOwner(program: string, args: string[]): Promise<void> {
    const path = join(this.bin, program);
    await (process.getuid?.() === 0
      ? run('runuser', ['-u', 'postgres', '--', path, ...args], { cwd: this.directory })
      : run(path, args, { cwd: this.directory }));
  }
}
