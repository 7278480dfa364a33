import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import request from 'supertest';
import { eventually } from './helpers/eventually.js';
import {
  describeWithPostgres,
  PrivatePostgres,
  TEST_POSTGRES_URL,
  testSchema,
} from './helpers/postgres.js';
import { sampleReading } from './helpers/readings.js';
import { redisClient, TEST_REDIS_URL, uniqueStreamKey } from './helpers/redis.js';
import { ServiceProcess } from './helpers/service-process.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

const DAY = 86_400_000;

interface Point {
  timestamp: string;
  host: string;
  samples: number;
}
interface Rollups {
  tier: string;
  points: Point[];
}

describe('the service process restarted a day later', () => {
  let dataDir: string;
  let service: ServiceProcess | undefined;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'vitals-history-'));
  });

  afterAll(() => {
    service?.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("should show yesterday's buckets in the 24 h view", async () => {
    const env = {
      VITALS_PORT: '0',
      VITALS_DATA_DIR: dataDir,
      VITALS_HOST_NAME: 'history-host',
      VITALS_INTERVAL_MS: '250',
    };
    service = new ServiceProcess(env);
    const first = await service.listening();
    await eventually(async () => {
      const body = (await request(first).get('/api/v1/metrics/rollups?step=1m')).body as Rollups;
      return (body.points.at(-1)?.samples ?? 0) >= 3;
    });
    service.signal('SIGTERM');
    expect((await service.exited).code).toBe(0);

    // What the first run wrote on SIGTERM, moved a day back: the store as it would be a day on.
    const file = new Database(join(dataDir, 'vitals.db'));
    file.prepare('update rollup_buckets set start = start - ?').run(DAY);
    const written = file
      .prepare("select start, samples from rollup_buckets where tier = '1m' order by start")
      .all() as { start: number; samples: number }[];
    file.close();
    expect(written.length).toBeGreaterThan(0);

    service = new ServiceProcess(env);
    const second = await service.listening();
    const response = await request(second).get('/api/v1/metrics/rollups?from=-24h');

    expect(response.status).toBe(200);
    const body = response.body as Rollups;
    expect(body.tier).toBe('1m');
    const yesterday = body.points.filter(
      (point) => Date.parse(point.timestamp) < Date.now() - DAY / 2,
    );
    expect(yesterday.map((point) => [Date.parse(point.timestamp), point.samples])).toEqual(
      written.map((row) => [row.start, row.samples]),
    );
  });
});

const SCHEMA = testSchema();
const [describeWithDatabase, title] = await describeWithPostgres(
  'a second gateway started against the PostgreSQL the first one wrote to',
);

describeWithDatabase(title, () => {
  const redis = redisClient();
  const streams = [uniqueStreamKey('history-1'), uniqueStreamKey('history-2')];
  const rollupUrl = `${TEST_POSTGRES_URL}?options=${encodeURIComponent(`-c search_path=${SCHEMA}`)}`;
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  const gateways: TestApp[] = [];

  const gateway = async (stream: string) => {
    const app = await startTestApp({
      VITALS_MODE: 'gateway',
      VITALS_REDIS_URL: TEST_REDIS_URL,
      VITALS_REDIS_STREAM: stream,
      VITALS_ROLLUP_URL: rollupUrl,
    });
    gateways.push(app);
    return app;
  };

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`create schema ${SCHEMA}`);
  });

  afterAll(async () => {
    for (const app of gateways) {
      await app.app.close();
    }
    await redis.del(...streams);
    redis.disconnect();
    await admin.query(`drop schema if exists ${SCHEMA} cascade`);
    await admin.end();
  });

  it("should answer the first one's month", async () => {
    // An agent's samples every six hours over the last thirty days, through the first gateway.
    const now = Date.now();
    const times = Array.from({ length: 120 }, (_, i) => now - 30 * DAY + i * 6 * 3_600_000);
    for (const [i, time] of times.entries()) {
      const sample = {
        id: i,
        ...sampleReading(),
        host: 'far-away',
        timestamp: new Date(time).toISOString(),
      };
      const data = JSON.stringify(sample);
      await redis.xadd(streams[0]!, '*', 'kind', 'sample', 'host', 'far-away', 'data', data);
    }
    const first = await gateway(streams[0]!);
    const month = '/api/v1/metrics/rollups?from=-30d&step=1h&host=far-away';
    await eventually(async () => {
      const body = (await request(first.url).get(month)).body as Rollups;
      return body.points.length === times.length;
    });
    await first.app.close();
    gateways.splice(gateways.indexOf(first), 1);

    const second = await gateway(streams[1]!);
    const response = await request(second.url).get(month);

    expect(response.status).toBe(200);
    const hours = (response.body as Rollups).points;
    expect(hours.map((point) => [point.host, point.samples])).toEqual(
      times.map(() => ['far-away', 1]),
    );
    expect(Date.parse(hours[0]!.timestamp)).toBe(Math.floor(times[0]! / 3_600_000) * 3_600_000);
    const days = (await request(second.url).get('/api/v1/metrics/rollups?from=-30d&step=15m'))
      .body as Rollups;
    expect(days.points).toHaveLength(times.length);
  });
});

const unavailable = PrivatePostgres.unavailable();
const describeWithServer = unavailable === undefined || process.env.CI ? describe : describe.skip;

describeWithServer(
  `history queries while PostgreSQL restarts${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    let server: PrivatePostgres;
    let t: TestApp;

    beforeAll(async () => {
      server = await PrivatePostgres.create();
      t = await startTestApp({ VITALS_ROLLUP_URL: server.url });
    }, 60_000);

    afterAll(async () => {
      await t?.app.close();
      await server?.destroy();
    });

    it('should answer 503 HISTORY_UNAVAILABLE while it is down, and the history once it is back', async () => {
      const path = '/api/v1/metrics/rollups?from=-1h';
      expect((await request(t.url).get(path)).status).toBe(200);

      await server.stop();
      const down = await request(t.url).get(path);
      const live = await request(t.url).get('/api/v1/metrics');
      const ready = await request(t.url).get('/health/ready');
      await server.start();

      expect(down.status).toBe(503);
      expect(down.body).toEqual({
        statusCode: 503,
        error: 'Service Unavailable',
        code: 'HISTORY_UNAVAILABLE',
        message: expect.stringMatching(/history store cannot be read now/) as string,
      });
      expect(JSON.stringify(down.body)).not.toContain(String(server.port));
      expect(live.status).toBe(200);
      expect(ready.status).toBe(200);
      await eventually(async () => (await request(t.url).get(path)).status === 200);
    }, 30_000);
  },
);
