import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { eventually } from './helpers/eventually.js';
import { ServiceProcess } from './helpers/service-process.js';
import { type TestApp, startTestApp } from './helpers/test-app.js';

describe('GET /api/v1/metrics/rollups', () => {
  let t: TestApp;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'vitals-rollups-e2e-'));
    t = await startTestApp({ VITALS_DATA_DIR: dataDir, VITALS_INTERVAL_MS: '250' });
    await eventually(async () => {
      const response = await request(t.url).get('/api/v1/metrics/rollups?step=1m');
      return (response.body as { points?: unknown[] }).points?.length === 1;
    });
  });

  afterAll(async () => {
    await t.app.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('should answer the open bucket from memory as JSON, by default for the last hour', async () => {
    const response = await request(t.url).get('/api/v1/metrics/rollups?groups=cpu');

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const body = response.body as {
      tier: string;
      stepSeconds: number;
      from: string;
      to: string;
      points: Record<string, unknown>[];
    };
    expect(body).toMatchObject({ tier: '1m', stepSeconds: 60 });
    expect(Date.parse(body.to) - Date.parse(body.from)).toBe(3_600_000);
    const last = body.points.at(-1);
    const number = expect.any(Number) as number;
    expect(last).toMatchObject({
      host: 'test-host',
      samples: number,
      cpu: { usage: { min: number, avg: number, max: number } },
    });
    expect(Object.keys(last ?? {})).toEqual(['timestamp', 'host', 'samples', 'cpu']);
  });

  it('should pick the 15m tier for seven days and the 1h tier for a year', async () => {
    const week = await request(t.url).get('/api/v1/metrics/rollups?from=-7d');
    const year = await request(t.url).get('/api/v1/metrics/rollups?from=-1y');

    expect((week.body as { tier: string }).tier).toBe('15m');
    expect((year.body as { tier: string }).tier).toBe('1h');
  });

  it('should answer CSV for Accept: text/csv and for format=csv', async () => {
    const byHeader = await request(t.url)
      .get('/api/v1/metrics/rollups?groups=memory')
      .set('Accept', 'text/csv');
    const byQuery = await request(t.url).get('/api/v1/metrics/rollups?groups=memory&format=csv');

    for (const response of [byHeader, byQuery]) {
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/csv/);
      const [header, row] = response.text.split('\r\n');
      expect(header).toMatch(/^timestamp,host,samples,memory\.total\.min,memory\.total\.avg,/);
      expect(row).toMatch(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z,test-host,\d+,/);
    }
  });

  it('should only answer the hosts host= names', async () => {
    const response = await request(t.url).get('/api/v1/metrics/rollups?host=other');

    expect((response.body as { points: unknown[] }).points).toEqual([]);
  });

  it.each([
    ['from=yesterday', /from must be an ISO 8601 time/],
    ['to=2026-13-45', /to is not a valid time/],
    ['from=-1h&to=-2h', /from .* is after to/],
    ['step=5m', /step must be one of 1m, 15m, 1h/],
    ['format=xml', /format must be one of json, csv/],
  ])('should answer 400 INVALID_QUERY for %s', async (query, message) => {
    const response = await request(t.url).get(`/api/v1/metrics/rollups?${query}`);

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'INVALID_QUERY', message });
  });

  it('should answer 400 for a tier that is not configured', async () => {
    const other = await startTestApp({ VITALS_ROLLUPS: '1m:1d' });
    try {
      const response = await request(other.url).get('/api/v1/metrics/rollups?step=1h');

      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({
        code: 'INVALID_QUERY',
        message: 'step 1h is not a configured tier (VITALS_ROLLUPS: 1m)',
      });
    } finally {
      await other.app.close();
    }
  });

  it('should count the buckets written in /metrics', async () => {
    const response = await request(t.url).get('/metrics');

    expect(response.text).toMatch(/^vitals_rollup_buckets_written_total \d+$/m);
    expect(response.text).toMatch(/^vitals_rollup_write_failures_total 0$/m);
  });

  it('should keep no history and say so in /health/ready with VITALS_ROLLUPS=off', async () => {
    const off = await startTestApp({ VITALS_ROLLUPS: 'off' });
    try {
      const route = await request(off.url).get('/api/v1/metrics/rollups');
      const ready = await request(off.url).get('/health/ready');

      expect(route.status).toBe(404);
      expect(ready.body).toMatchObject({ details: { rollups: { status: 'up', off: true } } });
    } finally {
      await off.app.close();
    }
  });

  it('should report the store in /health/ready, ready, without a password', async () => {
    const response = await request(t.url).get('/health/ready');

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      details: {
        rollups: {
          status: 'up',
          store: join(dataDir, 'vitals.db'),
          tiers: ['1m', '15m', '1h'],
          failures: 0,
        },
      },
    });
  });
});

describe('the service process with a corrupt rollup file', () => {
  let service: ServiceProcess | undefined;
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'vitals-rollups-corrupt-'));
  });

  afterEach(() => {
    service?.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('should exit 1 with one line naming the file, the problem and VITALS_ROLLUPS=off', async () => {
    writeFileSync(
      join(dataDir, 'vitals.db'),
      'this is not a database, only some text '.repeat(200),
    );
    service = new ServiceProcess({ VITALS_PORT: '0', VITALS_DATA_DIR: dataDir });

    const exit = await service.exited;

    expect(exit.code).toBe(1);
    const lines = service.stderr.split('\n').filter((line) => line.includes('rollup store'));
    expect(lines).toEqual([
      expect.stringMatching(
        new RegExp(
          `Startup failed: Cannot open the rollup store ${join(dataDir, 'vitals.db')}: file is not a database; VITALS_ROLLUPS=off runs without history$`,
        ),
      ),
    ]);
    expect(service.stderr).not.toMatch(/^\s+at /m);
  });
});
