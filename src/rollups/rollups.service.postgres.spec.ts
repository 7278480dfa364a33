import pg from 'pg';
import { eventually } from '../../test/helpers/eventually.js';
import { hubRetaining } from '../../test/helpers/hubs.js';
import {
  describeWithPostgres,
  PrivatePostgres,
  TEST_POSTGRES_URL,
  testSchema,
} from '../../test/helpers/postgres.js';
import { sampleReading } from '../../test/helpers/readings.js';
import type { RemoteEvent } from '../hub/remote-event.js';
import type { SampleHubService } from '../hub/sample-hub.service.js';
import { createPostgresRollupStore } from './postgres-rollup-store.factory.js';
import type { RollupRow, RollupStore } from './rollup-store.js';
import { parseRollupTiers } from './rollup-tiers.js';
import { RollupWindow } from './rollup-window.js';
import { toRow } from './rollup-write-queue.js';
import type { RollupsConfig } from './rollups.config.js';
import { RollupsService } from './rollups.service.js';

const T0 = Date.parse('2026-11-24T11:00:00.000Z');
const TIERS = '1m:7d,1h:2y';
const HOSTS = ['db-1', 'web-1', 'web-2'];

const config = (mode: RollupsConfig['mode']): RollupsConfig => ({
  tiers: parseRollupTiers(TIERS),
  dataDir: '/nonexistent',
  url: TEST_POSTGRES_URL,
  mode,
  hostName: 'web-1',
});

/** What an agent sent through Redis: the `seq`th sample, at `atMs`, of `host`. */
function entry(seq: number, host: string, atMs: number): RemoteEvent {
  // Whole numbers that differ per sample, so sums are exact whatever the order they add in.
  const usage = (seq * 7 + host.length * 13) % 100;
  const sample = { id: 0, ...sampleReading(usage), host, timestamp: new Date(atMs).toISOString() };
  return { eventId: `${atMs}-${seq}`, kind: 'sample', sample };
}

/** Every host's samples, one per 5 s from T0 for `seconds`. */
function entries(seconds: number): RemoteEvent[] {
  const all: RemoteEvent[] = [];
  for (let s = 0, seq = 0; s < seconds; s += 5) {
    for (const host of HOSTS) {
      all.push(entry(seq++, host, T0 + s * 1000));
    }
  }
  return all;
}

/** The rows one process that saw every entry once would write. */
function expectedRows(events: readonly RemoteEvent[]): RollupRow[] {
  const window = new RollupWindow(parseRollupTiers(TIERS));
  const buckets = events.flatMap((event) =>
    event.kind === 'sample' ? window.add(event.sample) : [],
  );
  return [...buckets, ...window.flush()].map(toRow).sort(byKey);
}

function byKey(a: RollupRow, b: RollupRow): number {
  return a.tier.localeCompare(b.tier) || a.host.localeCompare(b.host) || a.start - b.start;
}

const SCHEMA = testSchema();
const [describeIfReachable, title] = await describeWithPostgres(
  `RollupsService on PostgreSQL, schema ${SCHEMA}`,
);

describeIfReachable(title, () => {
  let now = T0;
  const clock = () => now;
  const running: RollupsService[] = [];
  let reader: RollupStore;

  /** A gateway replica: its own hub (fed as its Redis feed would), the shared schema. */
  const gateway = async (): Promise<[RollupsService, SampleHubService]> => {
    const hub = hubRetaining(1000, true);
    const store = createPostgresRollupStore(TEST_POSTGRES_URL, { schema: SCHEMA });
    const service = new RollupsService(hub, store, config('gateway'), clock);
    await service.onModuleInit();
    running.push(service);
    return [service, hub];
  };

  const stop = async (service: RollupsService) => {
    running.splice(running.indexOf(service), 1);
    await service.beforeApplicationShutdown();
  };

  const feed = (hub: SampleHubService, events: readonly RemoteEvent[]) => {
    for (const event of events) {
      now = event.kind === 'sample' ? Date.parse(event.sample.timestamp) : now;
      hub.ingest(event);
    }
  };

  const stored = async () =>
    [
      ...(await reader.range('1m', 0, Number.MAX_SAFE_INTEGER)),
      ...(await reader.range('1h', 0, Number.MAX_SAFE_INTEGER)),
    ].sort(byKey);

  beforeAll(async () => {
    reader = createPostgresRollupStore(TEST_POSTGRES_URL, { schema: SCHEMA });
    await reader.open();
  });

  beforeEach(async () => {
    now = T0;
    await reader.prune('1m', Number.MAX_SAFE_INTEGER);
    await reader.prune('1h', Number.MAX_SAFE_INTEGER);
  });

  afterEach(async () => {
    for (const service of running.splice(0)) {
      await service.beforeApplicationShutdown();
    }
  });

  afterAll(async () => {
    await reader.close();
    const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await admin.connect();
    await admin.query(`drop schema if exists ${SCHEMA} cascade`);
    await admin.end();
  });

  it('should store one row per bucket, identical to one writer, when two gateways write the same buckets', async () => {
    const events = entries(200);
    const [a, hubA] = await gateway();
    const [b, hubB] = await gateway();

    feed(hubA, events);
    feed(hubB, events);
    await Promise.all([stop(a), stop(b)]);

    const rows = await stored();
    expect(rows).toEqual(expectedRows(events));
    // 3 hosts × (four minutes + one hour).
    expect(rows).toHaveLength(15);
  });

  it('should leave the whole bucket when a replica restarts inside it and re-reads Redis', async () => {
    const events = entries(170);
    const [a, hubA] = await gateway();
    const [b, hubB] = await gateway();
    const atRestart = events.findIndex((event) => event.eventId.startsWith(`${T0 + 95_000}-`));
    feed(hubA, events.slice(0, atRestart));
    feed(hubB, events.slice(0, atRestart));

    // A stops at 11:01:35 (writing its open buckets), starts again, and its feed loads the last
    // 30 entries again before going on; B runs through.
    await stop(a);
    const [again, hubAgain] = await gateway();
    feed(hubAgain, events.slice(atRestart - 30));
    feed(hubB, events.slice(atRestart));
    await stop(again);
    await stop(b);

    expect(await stored()).toEqual(expectedRows(events));
  });

  it('should keep the whole rows when a replica that crashed re-reads Redis from a closed minute', async () => {
    const events = entries(170);
    const [a, hubA] = await gateway();
    const [b, hubB] = await gateway();
    const atCrash = events.findIndex((event) => event.eventId.startsWith(`${T0 + 95_000}-`));
    feed(hubA, events.slice(0, atCrash));
    feed(hubB, events.slice(0, atCrash));

    // A dies at 11:01:35 without writing its open buckets. Started again, it loads entries from
    // 11:00:45: a 11:00 bucket of three samples per host, and an 11:00 hour missing most of it.
    a.queue.stop();
    await a.store.close();
    running.splice(running.indexOf(a), 1);
    const [again, hubAgain] = await gateway();
    feed(hubAgain, events.slice(atCrash - 30));
    feed(hubB, events.slice(atCrash));
    await stop(b);
    await stop(again);

    expect(await stored()).toEqual(expectedRows(events));
  });

  it('should merge into its buckets when the only gateway restarts inside them', async () => {
    const events = entries(170);
    const atRestart = events.findIndex((event) => event.eventId.startsWith(`${T0 + 95_000}-`));
    const [first, hubFirst] = await gateway();
    feed(hubFirst, events.slice(0, atRestart));
    await stop(first);

    const [second, hubSecond] = await gateway();
    feed(hubSecond, events.slice(atRestart - 30));
    await stop(second);

    const rows = await stored();
    const expected = expectedRows(events);
    expect(rows.map((row) => [row.host, row.tier, row.start, row.samples])).toEqual(
      expected.map((row) => [row.host, row.tier, row.start, row.samples]),
    );
    expect(rows.map((row) => JSON.parse(row.data) as unknown)).toEqual(
      expected.map((row) => JSON.parse(row.data) as unknown),
    );
  });
});

const unavailable = PrivatePostgres.unavailable();
const describeWithServer = unavailable === undefined || process.env.CI ? describe : describe.skip;

describeWithServer(
  `RollupsService writing to a PostgreSQL server that restarts${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    let server: PrivatePostgres;

    beforeAll(async () => {
      server = await PrivatePostgres.create();
    }, 60_000);

    afterAll(async () => {
      await server?.destroy();
    });

    it('should lose no closed bucket while the server stops and starts under the writer', async () => {
      let now = T0;
      const hub = hubRetaining(1000, true);
      const store = createPostgresRollupStore(server.url);
      const service = new RollupsService(hub, store, config('gateway'), () => now);
      await service.onModuleInit();
      const events = entries(600);
      const send = (from: number, to: number) => {
        for (const event of events.slice(from, to)) {
          now = event.kind === 'sample' ? Date.parse(event.sample.timestamp) : now;
          hub.ingest(event);
        }
      };
      try {
        // Two minutes written, then the server goes down while six more minutes close.
        send(0, 100);
        await eventually(() => service.queue.written >= 2 * HOSTS.length);
        await server.stop();
        send(100, 300);
        await eventually(() => service.queue.failures > 0);
        expect(service.queue.queued).toBeGreaterThan(0);
        await server.start();
        send(300, events.length);

        // The queue's backoff retries until the server is back, then writes everything.
        await eventually(() => service.queue.queued === 0, 30_000);
        await service.beforeApplicationShutdown();

        const check = createPostgresRollupStore(server.url);
        await check.open();
        const rows = [
          ...(await check.range('1m', 0, Number.MAX_SAFE_INTEGER)),
          ...(await check.range('1h', 0, Number.MAX_SAFE_INTEGER)),
        ].sort(byKey);
        await check.close();
        expect(rows).toEqual(expectedRows(events));
        expect(service.queue.dropped).toBe(0);
      } finally {
        await service.beforeApplicationShutdown();
      }
    }, 60_000);
  },
);
