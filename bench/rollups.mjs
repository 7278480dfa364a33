// The `rollups` scenario of `npm run bench` (issue 17): what long-term history costs.
// 1. CPU per sample and per closed bucket, on simulated time: one host on SQLite, 50 hosts (a
//    gateway's load) on the local PostgreSQL, through the compiled RollupWindow and store.
// 2. GET /api/v1/metrics/rollups for one host whose SQLite store holds the full default
//    retention: p50/p99/max of 24 h at 1m, 30 d at 15m and 1 y at 1h.
// 3. Bytes on disk per host, per tier and per day, extrapolated to the default retention.
// 4. Idle CPU of a standalone vitals with rollups on and off, alternated.
// Knobs for smoke runs: VITALS_BENCH_IDLE_SECONDS (60), VITALS_BENCH_QUERY_REPEATS (200),
// VITALS_BENCH_SIM_HOURS (simulated hours of each part 1 run: 24 for one host, 4 for 50),
// VITALS_BENCH_POSTGRES_URL (postgres://postgres@127.0.0.1:5432/test).
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { ELEMENT_KEYS, FALLBACK_KEYS } from '../dist/rollups/rollup-keys.js';
import { createPostgresRollupStore } from '../dist/rollups/postgres-rollup-store.factory.js';
import { RollupAccumulator } from '../dist/rollups/rollup-accumulator.js';
import {
  DEFAULT_ROLLUPS,
  bucketStart,
  parseRollupTiers,
  pointsPerHost,
} from '../dist/rollups/rollup-tiers.js';
import { RollupWindow } from '../dist/rollups/rollup-window.js';
import { toRow } from '../dist/rollups/rollup-write-queue.js';
import {
  SQLITE_FILE_NAME,
  createSqliteRollupStore,
} from '../dist/rollups/sqlite-rollup-store.factory.js';
import { observe, readProcess, startService } from './service.mjs';
import { log } from './format.mjs';

const knob = (name, fallback) => {
  const value = Number(process.env[name] ?? fallback);
  if (!(value > 0)) {
    throw new Error(`${name} must be a positive number`);
  }
  return value;
};
const IDLE_SECONDS = knob('VITALS_BENCH_IDLE_SECONDS', 60);
const QUERY_REPEATS = Math.round(knob('VITALS_BENCH_QUERY_REPEATS', 200));
const simHours = (fallback) => knob('VITALS_BENCH_SIM_HOURS', fallback);
const POSTGRES_URL =
  process.env.VITALS_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const TIERS = parseRollupTiers(DEFAULT_ROLLUPS);
const TARGETS = { queryP50Ms: 20, queryP99Ms: 50, mbPerHost: 100, idleCpuPercent: 0.05 };
const GATEWAY_HOSTS = 50;
// Batch size of RollupWriteQueue: how many rows the fill writes per transaction.
const WRITE_BATCH = 500;
// Distinct, really aggregated buckets per tier that the filled store cycles through.
const FILL_VARIANTS = 8;
// Simulated time starts on an hour (every tier's bucket boundary).
const SIMULATED_START_MS = Date.UTC(2026, 0, 1);

// Disk figures in MB (10^6 bytes), as the README's sizing and the target are.
const MB = 1e6;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const cpuMicros = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};
const mean = (values) => values.reduce((sum, value) => sum + value, 0) / values.length;
const quantile = (sorted, q) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
const round = (value, digits = 3) => Number(value.toFixed(digits));

// Seeded noise: the same variation from run to run.
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A real sample of this machine, from a standalone vitals (as gatewayRun takes one). */
async function realSample() {
  const service = await startService({});
  try {
    return await (await fetch(`${service.url}/api/v1/metrics`)).json();
  } finally {
    await service.stop();
  }
}

// Fields whose numbers name a list element (gpus' `index`): never varied, or elements multiply.
const KEY_FIELDS = new Set([
  ...FALLBACK_KEYS,
  ...Object.values(ELEMENT_KEYS).flatMap((fields) => fields || []),
]);
// Capacities, which a host keeps from sample to sample (paths as in rollup-keys.ts).
const CONSTANT_PATHS = new Set([
  'cpu.count',
  'memory.total',
  'memory.swapTotal',
  'disks[].size',
  'container.memoryLimit',
  'container.cpuLimit',
  'containers[].cpuLimit',
  'containers[].memoryLimit',
  'gpus[].memoryTotal',
  'gpus[].powerLimitW',
]);

/**
 * A maker of varied copies of `template`: every number gets ±5 % noise, rounded as the sampler
 * rounds (whole numbers stay whole, so small counts barely move; others to 2 decimals), but
 * list keys and capacities; zeros stay zeros.
 */
function sampleMaker(template, next) {
  const walk = (value, path, field) => {
    if (typeof value === 'number') {
      if (value === 0 || KEY_FIELDS.has(field) || CONSTANT_PATHS.has(path)) {
        return () => value;
      }
      const whole = Number.isInteger(value);
      return () => {
        const varied = value * (0.95 + next() * 0.1);
        return whole ? Math.round(varied) : Math.round(varied * 100) / 100;
      };
    }
    if (Array.isArray(value)) {
      const items = value.map((item) => walk(item, `${path}[]`, field));
      return () => items.map((make) => make());
    }
    if (typeof value === 'object' && value !== null) {
      const fields = Object.entries(value).map(([key, child]) => [
        key,
        walk(child, path === '' ? key : `${path}.${key}`, key),
      ]);
      return () => Object.fromEntries(fields.map(([key, make]) => [key, make()]));
    }
    return () => value;
  };
  return walk(template, '', '');
}

/** `count` varied copies of `template` (host and timestamp are set per use). */
function samplePool(template, count, seed) {
  return Array.from({ length: count }, sampleMaker(template, random(seed)));
}

const hostNames = (count) =>
  Array.from({ length: count }, (_, i) => `agent-${String(i).padStart(2, '0')}`);

/**
 * Part 1: `hosts` hosts at 1 Hz of simulated time for `hours` (plus the sample that closes
 * the last hour), each sample added to a RollupWindow as RollupsService does, and each batch of
 * buckets one add closed encoded (toRow) and upserted in one transaction, awaited, as
 * RollupWriteQueue does when it is idle. `backends` reads the PostgreSQL server's CPU.
 */
async function cpuRun({ label, store, hosts, hours, pool, backends }) {
  const names = hostNames(hosts);
  const window = new RollupWindow(TIERS);
  const seconds = Math.round(hours * 3600);
  // The hosts' samples spread over each second, as agents' are.
  const spacingMs = Math.floor(1000 / hosts);
  let samples = 0;
  let buckets = 0;
  let transactions = 0;
  let encodeMicros = 0;
  let writeMicros = 0;
  let rowBytes = 0;
  let pollMicros = 0;
  // Warm-up: two simulated hours of another host, so that the JIT has compiled add and toRow.
  const warm = new RollupWindow(TIERS);
  for (let i = 0; i < 7200; i++) {
    const timestamp = new Date(SIMULATED_START_MS + i * 1000).toISOString();
    warm.add({ ...pool[i % pool.length], host: 'warm-up', timestamp }).map(toRow);
  }
  await backends?.start();
  const startedAt = performance.now();
  const start = cpuMicros();
  for (let second = 0; second <= seconds; second++) {
    for (let h = 0; h < hosts; h++) {
      const timeMs = SIMULATED_START_MS + second * 1000 + h * spacingMs;
      const sample = {
        ...pool[samples % pool.length],
        id: samples,
        host: names[h],
        timestamp: new Date(timeMs).toISOString(),
      };
      samples += 1;
      const closed = window.add(sample);
      if (closed.length === 0) {
        continue;
      }
      const beforeEncode = cpuMicros();
      const rows = closed.map(toRow);
      const beforeWrite = cpuMicros();
      await store.upsert(rows);
      writeMicros += cpuMicros() - beforeWrite;
      encodeMicros += beforeWrite - beforeEncode;
      buckets += rows.length;
      transactions += 1;
      rowBytes += rows.reduce((sum, row) => sum + row.data.length, 0);
    }
    if (backends && second % 600 === 0) {
      const beforePoll = cpuMicros();
      await backends.poll(); // a backend that went away keeps what it was last seen using
      pollMicros += cpuMicros() - beforePoll;
    }
  }
  const totalMicros = cpuMicros() - start - pollMicros;
  const elapsedSeconds = (performance.now() - startedAt) / 1000;
  const serverSeconds = await backends?.stop();
  const addMicros = totalMicros - encodeMicros - writeMicros;
  // Every sample and bucket of `seconds` of simulated time: the CPU it costs per real second.
  const percentAt1Hz = (micros) => (micros / (seconds + 1) / 1e6) * 100;
  return {
    label,
    hosts,
    store: store.label,
    simulatedHours: hours,
    simulatedSeconds: seconds + 1,
    elapsedSeconds: round(elapsedSeconds, 1),
    samples,
    buckets,
    transactions,
    dataBytesPerBucket: Math.round(rowBytes / buckets),
    addMicrosPerSample: round(addMicros / samples),
    encodeMsPerBucket: round(encodeMicros / buckets / 1000),
    writeMsPerBucket: round(writeMicros / buckets / 1000),
    msPerBucket: round((encodeMicros + writeMicros) / buckets / 1000),
    cpuPercentAt1Hz: round(percentAt1Hz(totalMicros), 4),
    cpuPercentAt1HzPerHost: round(percentAt1Hz(totalMicros) / hosts, 4),
    serverCpuPercentAt1Hz:
      serverSeconds === undefined ? null : round(percentAt1Hz(serverSeconds * 1e6), 4),
    serverCpuMsPerBucket:
      serverSeconds === undefined ? null : round((serverSeconds * 1000) / buckets),
  };
}

/**
 * The CPU of the PostgreSQL backends serving the store's pool, found by its application_name,
 * from /proc/<pid>/stat (CLK_TCK resolution). A backend first seen mid-run counts from 0.
 */
function backendCpu(client, applicationName) {
  const seen = new Map();
  const poll = async () => {
    const { rows } = await client.query(
      'select pid from pg_stat_activity where application_name = $1',
      [applicationName],
    );
    for (const { pid } of rows) {
      try {
        const cpu = readProcess(pid).cpuSeconds;
        const known = seen.get(pid);
        seen.set(pid, { base: known?.base ?? 0, last: cpu });
      } catch {
        // Exited between the query and the read.
      }
    }
  };
  return {
    poll,
    async start() {
      await poll();
      for (const entry of seen.values()) {
        entry.base = entry.last;
      }
    },
    async stop() {
      await poll();
      return [...seen.values()].reduce((sum, { base, last }) => sum + last - base, 0);
    },
  };
}

/** Part 1 on the local PostgreSQL, in a schema of its own, dropped afterwards. */
async function postgresCpuRun(pool) {
  const schema = `vitals_bench_${process.pid}`;
  const applicationName = `vitals_bench_${process.pid}`;
  const url = new URL(POSTGRES_URL);
  url.searchParams.set('application_name', applicationName);
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  const store = createPostgresRollupStore(url.href, { schema });
  try {
    await store.open();
    const run = await cpuRun({
      label: `${GATEWAY_HOSTS} hosts, PostgreSQL`,
      store,
      hosts: GATEWAY_HOSTS,
      hours: simHours(4),
      pool,
      backends: backendCpu(client, applicationName),
    });
    // Part 3 on PostgreSQL: what a row takes (heap, TOAST, both indexes) by these rows.
    const bytes = await store.size();
    const { rows } = await client.query(
      `select tier, count(*)::int as rows from ${schema}.rollup_buckets group by tier`,
    );
    const byTier = Object.fromEntries(rows.map((row) => [row.tier, row.rows]));
    const count = rows.reduce((sum, row) => sum + row.rows, 0);
    const bytesPerRow = bytes / count;
    return {
      run,
      disk: {
        rows: byTier,
        bytes,
        bytesPerRow: Math.round(bytesPerRow),
        mbPerHostAtRetention: round((bytesPerRow * retentionRows()) / MB, 1),
      },
    };
  } finally {
    await store.close().catch(() => undefined);
    await client.query(`drop schema if exists ${schema} cascade`);
    await client.end();
  }
}

/** Part 1 on SQLite, in a temporary directory. */
async function sqliteCpuRun(pool) {
  const dir = mkdtempSync(join(tmpdir(), 'vitals-bench-rollups-'));
  const store = createSqliteRollupStore(dir);
  try {
    await store.open();
    return await cpuRun({ label: '1 host, SQLite', store, hosts: 1, hours: simHours(24), pool });
  } finally {
    await store.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Buckets one host keeps at the default retention, all tiers. */
const retentionRows = () => TIERS.reduce((sum, tier) => sum + tier.retentionMs / tier.stepMs, 0);

/**
 * FILL_VARIANTS accumulators of `tier`, each really aggregated from a full bucket of varied
 * samples (60 for 1m, 900 for 15m, 3,600 for 1h), serialized as the store keeps them.
 */
function bucketVariants(tier, pool, host) {
  const perBucket = tier.stepMs / 1000;
  return Array.from({ length: FILL_VARIANTS }, (_, variant) => {
    const accumulator = RollupAccumulator.empty();
    for (let i = 0; i < perBucket; i++) {
      accumulator.add({ ...pool[(variant * 7919 + i) % pool.length], host });
    }
    return { samples: accumulator.samples, data: accumulator.serialize() };
  });
}

/**
 * `sample` as a bigger server sends it (the README's sizing example): 16 cores, 4 disks and at
 * least 3 interfaces, the extra elements copies of this machine's (a shape, not a measurement).
 */
function widened(sample) {
  const { cpu, disks, network } = sample;
  if (!Array.isArray(cpu?.cores) || !disks?.length || !network?.length) {
    return sample;
  }
  const copies = (list, count, key, name) =>
    Array.from({ length: Math.max(count, list.length) }, (_, i) =>
      i < list.length ? list[i] : { ...list[i % list.length], [key]: name(i) },
    );
  return {
    ...sample,
    cpu: { ...cpu, cores: Array.from({ length: 16 }, (_, i) => cpu.cores[i % cpu.cores.length]) },
    disks: copies(disks, 4, 'mount', (i) => `/data${i}`),
    network: copies(network, 3, 'iface', (i) => `eth${i}`),
  };
}

const filesBytes = (file) =>
  [file, `${file}-wal`].reduce(
    (sum, path) => sum + (existsSync(path) ? statSync(path).size : 0),
    0,
  );

/**
 * Parts 2 and 3: `host`'s full default retention in a SQLite store in `dir`, up to and
 * including the bucket open now, one tier at a time, the file measured after each (the store
 * is closed in between, which checkpoints and removes the WAL).
 */
async function fillSqlite(dir, host, pool) {
  const file = join(dir, SQLITE_FILE_NAME);
  const empty = createSqliteRollupStore(dir);
  await empty.open();
  await empty.close();
  let fileBytes = filesBytes(file);
  const baseBytes = fileBytes;
  const nowMs = Date.now();
  const tiers = [];
  for (const tier of TIERS) {
    const variants = bucketVariants(tier, pool, host);
    const count = tier.retentionMs / tier.stepMs;
    const last = bucketStart(tier, nowMs);
    const rows = Array.from({ length: count }, (_, i) => ({
      host,
      tier: tier.name,
      start: last - (count - 1 - i) * tier.stepMs,
      ...variants[i % variants.length],
    }));
    const store = createSqliteRollupStore(dir);
    await store.open();
    const sizeBefore = await store.size();
    for (let i = 0; i < rows.length; i += WRITE_BATCH) {
      await store.upsert(rows.slice(i, i + WRITE_BATCH));
    }
    const sizeAfter = await store.size();
    await store.close();
    const after = filesBytes(file);
    const bytes = after - fileBytes;
    fileBytes = after;
    const bytesPerRow = bytes / count;
    const rowsPerDay = 86_400_000 / tier.stepMs;
    tiers.push({
      tier: tier.name,
      rows: count,
      retentionDays: tier.retentionMs / 86_400_000,
      dataBytesPerRow: Math.round(mean(variants.map((v) => v.data.length))),
      fileBytes: bytes,
      sizeBytes: sizeAfter - sizeBefore, // store.size(): page_count × page_size
      bytesPerRow: Math.round(bytesPerRow),
      bytesPerDay: Math.round(bytesPerRow * rowsPerDay),
      mbAtRetention: round(bytes / MB, 1),
    });
    log(`  filled ${tier.name} of ${host}: ${count} buckets, ${(bytes / MB).toFixed(1)} MB`);
  }
  const totalBytes = tiers.reduce((sum, t) => sum + t.fileBytes, 0);
  return {
    baseBytes,
    tiers,
    bytesPerDay: tiers.reduce((sum, t) => sum + t.bytesPerDay, 0),
    dataBytesPerRow: Math.round(mean(tiers.map((t) => t.dataBytesPerRow))),
    bytesPerRow: Math.round(totalBytes / retentionRows()),
    mbPerHostAtRetention: round(totalBytes / MB, 1),
    fileMb: round(fileBytes / MB, 1),
    pass: totalBytes / MB <= TARGETS.mbPerHost,
  };
}

// The dashboard's range views ask for the groups its charts draw (public/js/range.js).
const DASHBOARD_GROUPS = 'cpu,memory,diskIo,network';
const QUERIES = [
  { label: '24 h at 1m', from: '-24h', step: '1m' },
  { label: '30 d at 15m', from: '-30d', step: '15m' },
  { label: '1 y at 1h', from: '-1y', step: '1h' },
  {
    label: "24 h at 1m, the dashboard's groups",
    from: '-24h',
    step: '1m',
    groups: DASHBOARD_GROUPS,
  },
  {
    label: "30 d at 15m, the dashboard's groups",
    from: '-30d',
    step: '15m',
    groups: DASHBOARD_GROUPS,
  },
  { label: "1 y at 1h, the dashboard's groups", from: '-1y', step: '1h', groups: DASHBOARD_GROUPS },
];

/**
 * Checks an answer holds every bucket of its range: the first (stored) one, and all up to now
 * but perhaps the newest, which opens with the first sample after a boundary.
 */
function checkAnswer(query, body) {
  const answer = JSON.parse(body);
  const tier = TIERS.find((candidate) => candidate.name === answer.tier);
  const fromMs = Date.parse(answer.from);
  const expected = pointsPerHost(tier, fromMs, Date.parse(answer.to));
  const points = answer.points.length;
  const first = answer.points[0]?.timestamp;
  if (
    answer.tier !== query.step ||
    points < expected - 1 ||
    points > expected ||
    first !== new Date(bucketStart(tier, fromMs)).toISOString() ||
    !answer.points.every((point) => point.cpu?.usage?.max >= 0)
  ) {
    throw new Error(
      `${query.label}: ${points} points from ${first}, expected ${expected} from ` +
        `${new Date(bucketStart(tier, fromMs)).toISOString()}: the store is not filled`,
    );
  }
  return { points, expected };
}

const BODY_SERVER = fileURLToPath(new URL('./controls/body-server.mjs', import.meta.url));

function latencies(times) {
  const sorted = [...times].sort((a, b) => a - b);
  return {
    p50: round(quantile(sorted, 0.5), 2),
    p99: round(quantile(sorted, 0.99), 2),
    max: round(sorted.at(-1), 2),
  };
}

/**
 * Part 2: QUERY_REPEATS sequential GETs of each query against `service`, after a warm-up, and
 * as many of the same bytes from the floor server.
 */
async function queryRuns(service, host) {
  const runs = [];
  for (const query of QUERIES) {
    const groups = query.groups ? `&groups=${query.groups}` : '';
    const path = `/api/v1/metrics/rollups?from=${query.from}&step=${query.step}&host=${host}${groups}`;
    const get = async (url = service.url) => {
      const startedAt = performance.now();
      const response = await fetch(`${url}${path}`);
      const body = await response.text();
      const ms = performance.now() - startedAt;
      if (response.status !== 200) {
        throw new Error(`${path}: ${response.status} ${body.slice(0, 300)}`);
      }
      return { ms, body };
    };
    // The first answer is rendered from the store; the next come from the point cache.
    const first = await get();
    checkAnswer(query, first.body);
    for (let i = 1; i < Math.min(10, QUERY_REPEATS); i++) {
      checkAnswer(query, (await get()).body);
    }
    const times = [];
    let bytes = 0;
    let checked;
    const cpuBefore = readProcess(service.pid).cpuSeconds;
    for (let i = 0; i < QUERY_REPEATS; i++) {
      const { ms, body } = await get();
      times.push(ms);
      bytes = Buffer.byteLength(body);
      checked = checkAnswer(query, body);
    }
    const serverCpuSeconds = readProcess(service.pid).cpuSeconds - cpuBefore;
    const latencyMs = latencies(times);
    // The control, in the same run: the same bytes from a server that only writes them.
    const bodyDir = mkdtempSync(join(tmpdir(), 'vitals-bench-body-'));
    writeFileSync(join(bodyDir, 'body.json'), (await get()).body);
    const floor = await startService({ BODY_FILE: join(bodyDir, 'body.json') }, BODY_SERVER);
    const floorTimes = [];
    for (let i = 0; i < Math.min(10, QUERY_REPEATS); i++) {
      await get(floor.url);
    }
    for (let i = 0; i < QUERY_REPEATS; i++) {
      floorTimes.push((await get(floor.url)).ms);
    }
    await floor.stop();
    rmSync(bodyDir, { recursive: true, force: true });
    const floorMs = latencies(floorTimes);
    runs.push({
      label: query.label,
      path,
      requests: QUERY_REPEATS,
      points: checked.points,
      expectedPoints: checked.expected,
      responseBytes: bytes,
      latencyMs,
      serverCpuMsPerRequest: round((serverCpuSeconds * 1000) / QUERY_REPEATS, 2),
      firstMs: round(first.ms, 2),
      floorMs,
      p50VsFloor: round(latencyMs.p50 / floorMs.p50, 2),
      target: true,
      pass: latencyMs.p50 <= TARGETS.queryP50Ms && latencyMs.p99 <= TARGETS.queryP99Ms,
    });
    log(`  ${query.label}: p50/p99/max ${latencyMs.p50}/${latencyMs.p99}/${latencyMs.max} ms`);
  }
  return runs;
}

/** Part 4: a standalone vitals with rollups on, then off, twice, each observed IDLE_SECONDS. */
async function idleRuns() {
  const runs = [];
  for (const rollups of ['on', 'off', 'on', 'off']) {
    const service = await startService(rollups === 'off' ? { VITALS_ROLLUPS: 'off' } : {});
    await sleep(5000); // past startup
    const { cpuPercent } = await observe(service.pid, IDLE_SECONDS);
    await service.stop();
    runs.push({ rollups, cpuPercent: round(cpuPercent, 3) });
    log(`  idle, rollups ${rollups}: ${cpuPercent.toFixed(3)} % of one core`);
  }
  const meanOf = (which) => mean(runs.filter((r) => r.rollups === which).map((r) => r.cpuPercent));
  const difference = meanOf('on') - meanOf('off');
  return {
    seconds: IDLE_SECONDS,
    runs,
    meanOnPercent: round(meanOf('on')),
    meanOffPercent: round(meanOf('off')),
    differencePercent: round(difference),
    pass: difference <= TARGETS.idleCpuPercent,
  };
}

export async function rollupsRun() {
  const real = await realSample();
  const pool = samplePool(real, 600, 17);
  const widePool = samplePool(widened(real), 600, 17);
  const sampleBytes = JSON.stringify(real).length;
  log(`  a real sample: ${sampleBytes} bytes`);

  const sqliteCpu = await sqliteCpuRun(pool);
  log(`  ${sqliteCpu.label}: ${sqliteCpu.msPerBucket} ms per bucket`);
  const postgres = await postgresCpuRun(pool);
  log(`  ${postgres.run.label}: ${postgres.run.msPerBucket} ms per bucket`);

  const host = 'bench-rollups';
  const dir = mkdtempSync(join(tmpdir(), 'vitals-bench-rollups-'));
  const wideDir = mkdtempSync(join(tmpdir(), 'vitals-bench-rollups-'));
  try {
    const sqliteDisk = await fillSqlite(dir, host, pool);
    const wideDisk = await fillSqlite(wideDir, 'bench-rollups-16-cores', widePool);
    rmSync(wideDir, { recursive: true, force: true });
    const service = await startService({ VITALS_DATA_DIR: dir, VITALS_HOST_NAME: host });
    let queries;
    try {
      queries = await queryRuns(service, host);
    } finally {
      await service.stop();
    }
    const idle = await idleRuns();
    return {
      sampleBytes,
      targets: TARGETS,
      cpu: { runs: [sqliteCpu, postgres.run] },
      queries: { host, repeats: QUERY_REPEATS, runs: queries },
      disk: {
        retentionRowsPerHost: retentionRows(),
        sqlite: sqliteDisk,
        sqliteWidened: wideDisk,
        postgres: postgres.disk,
      },
      idle,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(wideDir, { recursive: true, force: true });
  }
}

const verdict = (pass) => (pass ? 'pass' : '**FAIL**');

export function rollupsTable({ cpu, queries, disk, idle, targets }) {
  return [
    'CPU of this process (window + encode + write), at 1 Hz per host in simulated time:',
    '',
    '| run | simulated hours | samples | buckets (transactions) | µs per sample added | ms per bucket: encode + write = total | bytes per bucket | % of one core at 1 Hz (per host) | PostgreSQL server: % at 1 Hz, ms per bucket |',
    '|---|---|---|---|---|---|---|---|---|',
    ...cpu.runs.map(
      (r) =>
        `| ${r.label} | ${r.simulatedHours} | ${r.samples} | ${r.buckets} (${r.transactions}) | ${r.addMicrosPerSample.toFixed(1)} | ${r.encodeMsPerBucket.toFixed(3)} + ${r.writeMsPerBucket.toFixed(3)} = ${r.msPerBucket.toFixed(3)} | ${r.dataBytesPerBucket} | ${r.cpuPercentAt1Hz.toFixed(3)} (${r.cpuPercentAt1HzPerHost.toFixed(4)}) | ${r.serverCpuPercentAt1Hz === null ? '–' : `${r.serverCpuPercentAt1Hz.toFixed(3)}, ${r.serverCpuMsPerBucket.toFixed(3)}`} |`,
    ),
    '',
    `Queries of one host with its full default retention (SQLite), ${queries.repeats} sequential GETs each after a warm-up; targets p50 ≤ ${targets.queryP50Ms} ms, p99 ≤ ${targets.queryP99Ms} ms. "First" is the first request of the range (rendered from the store); the others are answered from the point cache:`,
    '',
    '| query | points | response (KiB) | first (ms) | p50/p99/max (ms) | floor p50/p99/max (ms) | p50 ÷ floor | server CPU ms per request | target |',
    '|---|---|---|---|---|---|---|---|---|',
    ...queries.runs.map(
      (r) =>
        `| ${r.label} | ${r.points} | ${(r.responseBytes / 1024).toFixed(0)} | ${r.firstMs ?? '–'} | ${r.latencyMs.p50}/${r.latencyMs.p99}/${r.latencyMs.max} | ${r.floorMs ? `${r.floorMs.p50}/${r.floorMs.p99}/${r.floorMs.max}` : '–'} | ${r.p50VsFloor ?? '–'} | ${r.serverCpuMsPerRequest} | ${r.target ? verdict(r.pass) : '(not a target)'} |`,
    ),
    '',
    `Disk per host at the default retention (SQLite file growth, tier by tier); target ≤ ${targets.mbPerHost} MB:`,
    '',
    '| tier | buckets kept | JSON per bucket (bytes) | on disk per bucket (bytes) | per day (kB) | at retention (MB) |',
    '|---|---|---|---|---|---|',
    ...disk.sqlite.tiers.map(
      (t) =>
        `| ${t.tier} (${t.retentionDays} d) | ${t.rows} | ${t.dataBytesPerRow} | ${t.bytesPerRow} | ${(t.bytesPerDay / 1000).toFixed(0)} | ${t.mbAtRetention} |`,
    ),
    `| all | ${disk.retentionRowsPerHost} | | | ${(disk.sqlite.bytesPerDay / 1000).toFixed(0)} | **${disk.sqlite.mbPerHostAtRetention}** ${verdict(disk.sqlite.pass)} |`,
    `| all, the sample widened to 16 cores and 4 disks | ${disk.retentionRowsPerHost} | ${disk.sqliteWidened.dataBytesPerRow} | ${disk.sqliteWidened.bytesPerRow} | ${(disk.sqliteWidened.bytesPerDay / 1000).toFixed(0)} | **${disk.sqliteWidened.mbPerHostAtRetention}** ${verdict(disk.sqliteWidened.pass)} |`,
    '',
    `PostgreSQL (${Object.entries(disk.postgres.rows)
      .map(([tier, rows]) => `${rows} ${tier}`)
      .join(
        ', ',
      )} rows of part 1): ${disk.postgres.bytesPerRow} bytes per bucket (table, TOAST and indexes), so ${disk.postgres.mbPerHostAtRetention} MB per host at the default retention.`,
    '',
    `Idle standalone vitals, ${idle.seconds} s per run, alternated; target ≤ +${targets.idleCpuPercent} % of one core with rollups on:`,
    '',
    '| rollups | CPU % of one core |',
    '|---|---|',
    ...idle.runs.map((r) => `| ${r.rollups} | ${r.cpuPercent.toFixed(3)} |`),
    `| on − off (means) | **${idle.differencePercent >= 0 ? '+' : ''}${idle.differencePercent.toFixed(3)}** ${verdict(idle.pass)} |`,
  ].join('\n');
}

export const rollupsNotes =
  'Samples: one real sample of a standalone vitals on this machine, each of its numbers given ' +
  '±5 % noise per simulated sample (rounded as the sampler rounds; list keys, capacities such ' +
  'as memory.total and disks[].size, and zeros, such as the idle network here, stay), with ' +
  '`host` and `timestamp` set per sample, 1 s apart in simulated time (the ' +
  '50 hosts spread over each second). CPU is `process.cpuUsage()` of the bench process around ' +
  'the compiled RollupWindow.add and the store, after a warm-up: "per sample" is the loop ' +
  '(making each sample is a shallow copy) less the encoding (toRow) and the upserts; each add ' +
  'that closes buckets is one awaited upsert, as RollupWriteQueue does when idle (a busy ' +
  'queue batches more, so this is the dearer case). "% at 1 Hz" is that CPU spread over the ' +
  'simulated seconds, i.e. what the real rate costs. The PostgreSQL server column is the CPU ' +
  "of the backends of the store's pool (found by application_name in pg_stat_activity, read " +
  'from /proc/<pid>/stat, 10 ms ticks; not the WAL writer, checkpointer or autovacuum), not ' +
  'included in the other columns; PostgreSQL runs on the same two cores. The filled store: ' +
  'per tier 8 accumulators, each really aggregated from a full bucket of such samples (60, ' +
  '900 or 3,600), serialized and cycled through every bucket of the retention (7 d of 1m, ' +
  '90 d of 15m, 2 y of 1h) up to the bucket open now, written 500 rows per transaction; the ' +
  'running service adds its own live samples under the same host. Disk is the growth of ' +
  'vitals.db (+ -wal) per tier, the store closed (checkpointed) between tiers; the widened ' +
  'row repeats the fill with 16 cores and 4 disks per sample, the extra elements copied from ' +
  "this machine's (the shape of the README's sizing example, not its figures). vitals.db uses " +
  '16 KiB pages, so rows pack closely whatever their size (with 4 KiB pages a 2.1 KB row took ' +
  'a page to itself). Every query answer is checked to hold each bucket of its range, each ' +
  "with `cpu`; the dashboard's rows ask for `groups=cpu,memory,diskIo,network`, what its " +
  'range charts draw. The floor is bench/controls/body-server.mjs, a bare node:http server ' +
  'answering the same bytes (vitals\' own answer, read once) in the same run; "first" is the ' +
  "range's first request, rendered from the store, the rest come from vitals' 32 MiB point " +
  'cache. Answers of a year of every group run to 18 MB: on this machine merely sending them ' +
  'takes 26 ms (p50).';
