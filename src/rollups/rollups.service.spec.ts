import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hubRetaining } from '../../test/helpers/hubs.js';
import { sampleReading } from '../../test/helpers/readings.js';
import type { SampleHubService } from '../hub/sample-hub.service.js';
import { RollupAccumulator } from './rollup-accumulator.js';
import type { RollupRow, RollupStore } from './rollup-store.js';
import { parseRollupTiers } from './rollup-tiers.js';
import type { RollupsConfig } from './rollups.config.js';
import { RollupsService } from './rollups.service.js';
import { createSqliteRollupStore } from './sqlite-rollup-store.factory.js';

const T0 = Date.parse('2026-11-24T11:00:00.000Z');

const config = (dataDir: string, mode: RollupsConfig['mode'] = 'standalone'): RollupsConfig => ({
  tiers: parseRollupTiers('1m:7d,1h:2y'),
  dataDir,
  url: undefined,
  mode,
  hostName: 'web-1',
});

describe('RollupsService with a SQLite store in a temporary directory', () => {
  let dataDir: string;
  let now: number;
  const clock = () => now;
  const services: RollupsService[] = [];

  const start = async (
    hub: SampleHubService,
    store: RollupStore = createSqliteRollupStore(dataDir),
  ) => {
    const service = new RollupsService(hub, store, config(dataDir), clock);
    await service.onModuleInit();
    services.push(service);
    return service;
  };

  const publish = (hub: SampleHubService, atMs: number, usage = 30) => {
    now = atMs;
    hub.publish({ ...sampleReading(usage), timestamp: new Date(atMs).toISOString() });
  };

  const stored = async (tier: '1m' | '1h'): Promise<RollupRow[]> => {
    const reader = createSqliteRollupStore(dataDir);
    await reader.open();
    try {
      return await reader.range(tier, 0, Number.MAX_SAFE_INTEGER);
    } finally {
      await reader.close();
    }
  };

  const statsOf = (row: RollupRow) =>
    RollupAccumulator.parse(row.data).toPoint(row.host, row.start, ['cpu']).cpu;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'vitals-rollups-service-'));
    now = T0;
  });

  afterEach(async () => {
    for (const service of services.splice(0)) {
      await service.beforeApplicationShutdown();
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('should write a closed bucket to the store', async () => {
    const hub = hubRetaining(100);
    const service = await start(hub);

    publish(hub, T0 + 10_000, 20);
    publish(hub, T0 + 20_000, 40);
    publish(hub, T0 + 60_000, 50);
    await service.queue.flush();

    const rows = await stored('1m');
    expect(rows.map((row) => [row.start, row.samples])).toEqual([[T0, 2]]);
    expect(statsOf(rows[0] as RollupRow)).toMatchObject({ usage: { min: 20, avg: 30, max: 40 } });
    expect(service.queue.written).toBe(1);
  });

  it('should write the open buckets on shutdown', async () => {
    const hub = hubRetaining(100);
    const service = await start(hub);
    publish(hub, T0 + 10_000);

    await service.beforeApplicationShutdown();
    services.splice(services.indexOf(service), 1);

    expect((await stored('1m')).map((row) => row.samples)).toEqual([1]);
    expect((await stored('1h')).map((row) => row.samples)).toEqual([1]);
  });

  it('should merge into the stored bucket when restarted inside it: counts add, min/max combine', async () => {
    const first = hubRetaining(100);
    const before = await start(first);
    publish(first, T0 + 10_000, 20);
    publish(first, T0 + 20_000, 40);
    await before.beforeApplicationShutdown();
    services.splice(services.indexOf(before), 1);

    now = T0 + 30_000;
    const second = hubRetaining(100);
    const after = await start(second);
    publish(second, T0 + 40_000, 90);

    const [open] = await after.points(after.tiers[0]!, T0, T0 + 59_000);
    expect(open).toMatchObject({ samples: 3, cpu: { usage: { min: 20, avg: 50, max: 90 } } });
    await after.beforeApplicationShutdown();
    services.splice(services.indexOf(after), 1);
    const rows = await stored('1h');
    expect(rows.map((row) => row.samples)).toEqual([3]);
    expect(statsOf(rows[0] as RollupRow)).toMatchObject({ usage: { min: 20, avg: 50, max: 90 } });
  });

  it('should answer a range with the stored buckets and the open one from memory', async () => {
    const hub = hubRetaining(100);
    const service = await start(hub);
    publish(hub, T0 + 10_000);
    publish(hub, T0 + 70_000);
    publish(hub, T0 + 80_000);
    await service.queue.flush();

    const points = await service.points(service.tiers[0]!, T0, T0 + 90_000, undefined, ['memory']);

    expect(points.map((point) => [point.timestamp, point.samples])).toEqual([
      ['2026-11-24T11:00:00.000Z', 1],
      ['2026-11-24T11:01:00.000Z', 2],
    ]);
    expect(Object.keys(points[0]!)).toEqual(['timestamp', 'host', 'samples', 'memory']);
  });

  it('should answer as text the points it answers, stored buckets from its cache when asked again', async () => {
    const hub = hubRetaining(100);
    const service = await start(hub);
    publish(hub, T0 + 10_000, 20);
    publish(hub, T0 + 70_000, 40);
    publish(hub, T0 + 130_000, 60);
    await service.queue.flush();
    const tier = service.tiers[0]!;
    const range = [tier, T0, T0 + 130_000] as const;

    const texts = await service.pointTexts(...range);
    const again = await service.pointTexts(...range, undefined, ['memory', 'cpu']);

    expect(texts.map((text) => JSON.parse(text.toString()) as unknown)).toEqual(
      await service.points(...range),
    );
    expect(again.map((text) => JSON.parse(text.toString()) as unknown)).toEqual(
      await service.points(...range, undefined, ['memory', 'cpu']),
    );
    expect(texts).toHaveLength(3);
    // The stored buckets' bytes come from the cache; the open one is made again.
    const third = await service.pointTexts(...range);
    expect(third.map((text, index) => text === texts[index])).toEqual([true, true, false]);
    // The keys in the point's order, whichever order the groups were asked in.
    expect(Object.keys(JSON.parse(again[0]!.toString()) as object)).toEqual([
      'timestamp',
      'host',
      'samples',
      'cpu',
      'memory',
    ]);
  });

  it('should keep closed buckets while the store fails and write them once it is back', async () => {
    const real = createSqliteRollupStore(dataDir);
    let failing = true;
    const flaky: RollupStore = {
      label: real.label,
      open: () => real.open(),
      upsert: (rows) => (failing ? Promise.reject(new Error('disk full')) : real.upsert(rows)),
      range: (...args) => real.range(...args),
      rangeSummaries: (...args) => real.rangeSummaries(...args),
      prune: (...args) => real.prune(...args),
      size: () => real.size(),
      close: () => real.close(),
    };
    const hub = hubRetaining(100);
    const service = await start(hub, flaky);
    publish(hub, T0 + 10_000);
    publish(hub, T0 + 70_000);
    publish(hub, T0 + 130_000);
    await new Promise((resolve) => setImmediate(resolve));

    expect(service.queue.failures).toBeGreaterThan(0);
    expect(service.queue.lastError).toBe('disk full');
    expect(service.queue.queued).toBe(2);
    expect((await service.points(service.tiers[0]!, T0, T0 + 130_000)).length).toBe(3);

    failing = false;
    await service.queue.flush();

    expect(service.queue.queued).toBe(0);
    expect((await stored('1m')).map((row) => row.start)).toEqual([T0, T0 + 60_000]);
  });

  it('should exit the start with the store named and VITALS_ROLLUPS=off when it cannot open', async () => {
    const notADirectory = join(dataDir, 'file');
    writeFileSync(notADirectory, 'x');
    const service = new RollupsService(
      hubRetaining(10),
      createSqliteRollupStore(join(notADirectory, 'data')),
      config(dataDir),
      clock,
    );

    await expect(service.onModuleInit()).rejects.toThrow(
      /Cannot open the rollup store \S+\/file\/data\/vitals\.db: .*ENOTDIR.*; VITALS_ROLLUPS=off runs without history$/,
    );
    await service.beforeApplicationShutdown();
  });
});
