import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { sampleReading } from './readings.js';

/**
 * The Redis the many-hosts tests use: the local one unless VITALS_TEST_REDIS_URL names another.
 * Every run works under its own key prefix and deletes its keys afterwards.
 */
export const TEST_REDIS_URL = process.env.VITALS_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A stream key no other run or test uses. */
export function uniqueStreamKey(name: string): string {
  return `vitals-test:${process.pid}-${randomBytes(4).toString('hex')}:${name}`;
}

export function redisClient(url = TEST_REDIS_URL): Redis {
  return new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: false });
}

/** Appends `count` samples of `host` to `stream` as an agent does; returns their ids. */
export async function appendSamples(
  redis: Redis,
  stream: string,
  count: number,
  host = 'web-1',
  maxLength?: number,
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const data = JSON.stringify({ id: i, ...sampleReading(), host });
    const trim = maxLength === undefined ? [] : ['MAXLEN', maxLength];
    ids.push(
      (await redis.xadd(stream, ...trim, '*', 'kind', 'sample', 'host', host, 'data', data))!,
    );
  }
  return ids;
}

/** Every entry id in `key`, oldest first. */
export async function streamIds(redis: Redis, key: string): Promise<string[]> {
  const entries = await redis.xrange(key, '-', '+');
  return entries.map(([id]) => id);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * A throwaway redis-server on its own port, for tests that stop and restart Redis under running
 * agents and gateways. Like the machine's Redis, it keeps nothing on disk.
 */
export class ThrowawayRedis {
  private child: ChildProcess | undefined;

  private constructor(readonly port: number) {}

  static async start(): Promise<ThrowawayRedis> {
    const redis = new ThrowawayRedis(await freePort());
    await redis.start();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    this.child = child;
    const client = new Redis(this.url, { lazyConnect: true, retryStrategy: () => 50 });
    client.on('error', () => undefined);
    try {
      const deadline = Date.now() + 5000;
      for (;;) {
        try {
          await client.connect();
          await client.ping();
          return;
        } catch (error) {
          if (Date.now() > deadline || child.exitCode !== null) {
            throw error;
          }
          client.disconnect();
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    } finally {
      client.disconnect();
    }
  }

  /** Kills the server (as a crash would) and waits until it is gone. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) {
      return;
    }
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
}
