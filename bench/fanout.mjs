// Subscribers against vitals or a control server (subscribersRun, also used by fanout-groups and
// slow-clients), and the fanout scenario: one shared sampler fanned out, against the floor, the
// @Sse control and the naive design, with the targets vitals has to meet at 10,000.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { observe, startService } from './service.mjs';
import { MiB, log, mb, latency } from './format.mjs';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const thousands = (n) => n.toLocaleString('en-US');

// The control servers, by the label their runs carry. vitals is dist/main.js.
const SCRIPTS = {
  vitals: undefined,
  floor: here('./controls/floor-server.mjs'),
  naive: here('./controls/naive-server.mjs'),
  '@Sse': here('./controls/sse-server.mjs'),
};
// The route each server's subscribers take unless told otherwise.
const DEFAULT_PATHS = { '@Sse': '/bench/sse' };

/**
 * Stream counters from vitals' readiness details (the floor and naive controls answer every path
 * with a stream).
 */
export async function health(url) {
  const response = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(5000) });
  return (await response.json()).details;
}

/** Runs `count` subscribers in `mode` against a fresh server for `seconds`. */
export async function subscribersRun({ count, mode, seconds, env, server = 'vitals', paths }) {
  const service = await startService(env, SCRIPTS[server]);
  const route = paths ?? DEFAULT_PATHS[server];
  const args = [service.url, String(count), mode, ...(route ? [route] : [])];
  const load = fork(here('./subscribers.mjs'), args);
  const next = (type) =>
    new Promise((resolve) => load.once('message', (m) => m.type === type && resolve(m)));
  const ramped = await next('ramped');
  log(`  ${server} ${mode}: ${ramped.connected}/${count} connected, observing ${seconds} s`);
  load.send('reset');
  const figures = await observe(service.pid, seconds);
  const streams = server === 'vitals' ? ((await health(service.url)).streams ?? null) : null;
  const sampleBytes =
    server === 'vitals'
      ? (await (await fetch(`${service.url}/api/v1/metrics`)).text()).length
      : undefined;
  load.send('report');
  const report = await next('report');
  await service.stop();
  const { series, ...summary } = figures;
  return {
    server,
    mode,
    sampleBytes,
    subscribers: count,
    seconds,
    ...summary,
    connected: report.connected,
    failed: report.failed,
    eventsPerClientPerSecond: report.events / Math.max(1, report.connected) / seconds,
    latencyMs: report.latencyMs,
    serverStreams: streams,
    rssSeries: series.map((s) => Math.round(s.rssBytes / MiB)),
  };
}

/** One line per run: what fanout, fanout-groups and slow-clients' healthy runs show. */
export const fanoutTable = ({ runs }) => {
  return [
    '| server | subscribers | connected | events/client/s | server CPU % | peak RSS (MiB) | latency p50/p99/max (ms) |',
    '|---|---|---|---|---|---|---|',
    ...runs.map(
      (r) =>
        `| ${r.server}${r.paths ? ` (${r.paths.split('|').length} selections)` : ''} | ${r.subscribers} | ${r.connected} | ${r.eventsPerClientPerSecond.toFixed(2)} | ${r.cpuPercent.toFixed(1)} | ${mb(r.rssPeakBytes)} | ${latency(r)} |`,
    ),
  ].join('\n');
};

const SECONDS = Number(process.env.VITALS_BENCH_FANOUT_SECONDS ?? 60);
// For short trials: every subscriber count times this (0.02: 20 and 200 for 1,000 and 10,000).
const SCALE = Number(process.env.VITALS_BENCH_FANOUT_SCALE ?? 1);
const scaled = (count) => Math.max(1, Math.round(count * SCALE));
// What vitals must do at 10,000 subscribers.
const TARGETS = {
  cpuVsFloor: 1.5,
  p99VsFloor: 1.5,
  rssPeakMiB: 300,
  eventsPerClientPerSecond: 0.95,
};

export const fanoutTitle = `Fan-out at 1 Hz, ${SECONDS} s per run: vitals vs the floor, the @Sse control and the naive design`;

/**
 * vitals at 1 to 10,000 subscribers; the floor and the @Sse control at 1,000 and 10,000; the
 * naive design at 1,000. Each run on a fresh server.
 */
export async function fanoutRun() {
  const seconds = SECONDS;
  const [small, large] = [scaled(1000), scaled(10000)];
  const runs = [];
  for (const count of new Set([1, 100, 1000, 10000].map(scaled))) {
    runs.push(await subscribersRun({ count, mode: 'healthy', seconds, env: {} }));
  }
  const env = { FLOOR_FRAME_BYTES: String(runs[0].sampleBytes) };
  for (const count of [small, large]) {
    runs.push(await subscribersRun({ count, mode: 'healthy', seconds, env, server: 'floor' }));
  }
  for (const count of [small, large]) {
    runs.push(await subscribersRun({ count, mode: 'healthy', seconds, env: {}, server: '@Sse' }));
  }
  runs.push(
    await subscribersRun({ count: small, mode: 'healthy', seconds, env: {}, server: 'naive' }),
  );
  const find = (server, count) => runs.find((r) => r.server === server && r.subscribers === count);
  const ratio = (a, b) => (a !== undefined && b > 0 ? a / b : null);
  const versus = (server, count) => ({
    cpu: ratio(find(server, count).cpuPercent, find('floor', count).cpuPercent),
    p99: ratio(find(server, count).latencyMs?.p99, find('floor', count).latencyMs?.p99),
  });
  const rssPeakMiB = (count) =>
    Object.fromEntries(
      ['vitals', 'floor', '@Sse'].map((server) => [
        server,
        Math.round((find(server, count).rssPeakBytes / MiB) * 10) / 10,
      ]),
    );
  const [vitals1k, vitals10k, sse1k, sse10k] = [
    versus('vitals', small),
    versus('vitals', large),
    versus('@Sse', small),
    versus('@Sse', large),
  ];
  // The targets at 10,000.
  const vitals = find('vitals', large);
  const floor = find('floor', large);
  const atMost = (value, limit) =>
    typeof value === 'number' && typeof limit === 'number' && value <= limit;
  const verdicts = {
    cpu: atMost(vitals.cpuPercent, TARGETS.cpuVsFloor * floor.cpuPercent),
    p99: atMost(vitals.latencyMs?.p99, floor.latencyMs && TARGETS.p99VsFloor * floor.latencyMs.p99),
    rssPeak: vitals.rssPeakBytes <= TARGETS.rssPeakMiB * MiB,
    events: vitals.eventsPerClientPerSecond >= TARGETS.eventsPerClientPerSecond,
    connected: vitals.connected === large && vitals.failed === 0,
  };
  return {
    counts: { '1k': small, '10k': large },
    runs,
    ratios: {
      cpuVsFloorAt10k: vitals10k.cpu,
      p99VsFloorAt10k: vitals10k.p99,
      naiveCpuVsVitalsAt1k: ratio(
        find('naive', small).cpuPercent,
        find('vitals', small).cpuPercent,
      ),
      cpuVsFloorAt1k: vitals1k.cpu,
      p99VsFloorAt1k: vitals1k.p99,
      sseCpuVsFloorAt1k: sse1k.cpu,
      sseP99VsFloorAt1k: sse1k.p99,
      sseCpuVsFloorAt10k: sse10k.cpu,
      sseP99VsFloorAt10k: sse10k.p99,
      rssPeakMiBAt1k: rssPeakMiB(small),
      rssPeakMiBAt10k: rssPeakMiB(large),
    },
    targets: TARGETS,
    verdicts,
  };
}

const x = (value) => (value === null ? '–' : `${value.toFixed(2)}×`);
const verdict = (pass) => (pass ? 'pass' : '**FAIL**');

/** The runs, the three-way comparison at 1,000 and 10,000, and vitals' targets at 10,000. */
export function fanoutComparison(result) {
  const r = result.ratios;
  const { '1k': small, '10k': large } = result.counts ?? { '1k': 1000, '10k': 10000 };
  const find = (server, count) =>
    result.runs.find((run) => run.server === server && run.subscribers === count);
  const rss = (peaks) => `${peaks.vitals} / ${peaks.floor} / ${peaks['@Sse']}`;
  const vitals = find('vitals', large);
  const floor = find('floor', large);
  const p99 = (run) => run.latencyMs?.p99 ?? '–';
  const t = result.targets;
  const v = result.verdicts;
  return [
    fanoutTable(result),
    '',
    `Three ways, against the floor (peak RSS in MiB, 2^20 bytes):`,
    '',
    '| subscribers | CPU vitals/floor | CPU @Sse/floor | p99 vitals/floor | p99 @Sse/floor | peak RSS vitals / floor / @Sse (MiB) |',
    '|---|---|---|---|---|---|',
    `| ${thousands(small)} | ${x(r.cpuVsFloorAt1k)} | ${x(r.sseCpuVsFloorAt1k)} | ${x(r.p99VsFloorAt1k)} | ${x(r.sseP99VsFloorAt1k)} | ${rss(r.rssPeakMiBAt1k)} |`,
    `| ${thousands(large)} | ${x(r.cpuVsFloorAt10k)} | ${x(r.sseCpuVsFloorAt10k)} | ${x(r.p99VsFloorAt10k)} | ${x(r.sseP99VsFloorAt10k)} | ${rss(r.rssPeakMiBAt10k)} |`,
    '',
    `At ${thousands(small)}: naive/vitals CPU ${x(r.naiveCpuVsVitalsAt1k)}.`,
    '',
    `vitals' targets at ${thousands(large)} subscribers (MiB = 2^20 bytes):`,
    '',
    '| target | vitals | the floor | verdict |',
    '|---|---|---|---|',
    `| CPU ≤ ${t.cpuVsFloor}× the floor's | ${vitals.cpuPercent.toFixed(1)} % (${x(r.cpuVsFloorAt10k)}) | ${floor.cpuPercent.toFixed(1)} % | ${verdict(v.cpu)} |`,
    `| latency p99 ≤ ${t.p99VsFloor}× the floor's | ${p99(vitals)} ms (${x(r.p99VsFloorAt10k)}) | ${p99(floor)} ms | ${verdict(v.p99)} |`,
    `| peak RSS ≤ ${t.rssPeakMiB} MiB | ${mb(vitals.rssPeakBytes)} MiB | ${mb(floor.rssPeakBytes)} MiB | ${verdict(v.rssPeak)} |`,
    `| events/client/s ≥ ${t.eventsPerClientPerSecond} | ${vitals.eventsPerClientPerSecond.toFixed(2)} | ${floor.eventsPerClientPerSecond.toFixed(2)} | ${verdict(v.events)} |`,
    `| all connected | ${vitals.connected}/${vitals.subscribers} | ${floor.connected}/${floor.subscribers} | ${verdict(v.connected)} |`,
  ].join('\n');
}

export const fanoutNotes = [
  'The floor is bench/controls/floor-server.mjs (one frame per tick, padded to the size of a ' +
    'vitals sample, written to every socket); the naive control is ' +
    'bench/controls/naive-server.mjs (a sampler per client, as in the original demo). The load ' +
    'process shares the two cores, so latency includes it reading every socket.',
  'The @Sse control is bench/controls/sse-server.mjs: vitals booted as dist/main.js boots it ' +
    '(same environment, modules, middleware and auth), plus `GET /bench/sse`, a controller ' +
    "written the idiomatic Nest way: `@Sse()` returning the hub's events, filtered to samples " +
    'and mapped to `{id, type, data}` with `data` the JSON the hub serializes once per tick (the ' +
    'frame /api/v1/stream sends). So the same shared sampler and serialization are behind both ' +
    "routes, and what the @Sse control adds is Nest's per-client, per-message pipeline: an RxJS " +
    'subscription per client, and per message a MessageEvent, formatting and a write through ' +
    "Nest's SseStream transform. Its subscribers take /bench/sse; it starts with the next tick " +
    'rather than the latest sample, and sends no meta, alerts or heartbeats.',
].join('\n\n');
