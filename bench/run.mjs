// `npm run bench [scenario…]`: runs the benchmarks against the compiled service and writes
// bench/RESULTS.md and bench/results/<scenario>.json. Scenarios: idle, rest, request-load,
// containers, fanout, fanout-groups, fanout-distinct, slow-clients, storm, gpus, gateway and
// overview (need Redis: VITALS_BENCH_REDIS_URL, default local; overview needs Chromium too:
// CHROMIUM_PATH), rollups (needs PostgreSQL: VITALS_BENCH_POSTGRES_URL, default local; its knobs
// for shorter runs are in bench/rollups.mjs). VITALS_BENCH_BASE=<path to another build's
// dist/main.js> runs fanout-distinct against that build too, side by side. Knobs for shorter
// trials (recorded in the command): VITALS_BENCH_FANOUT_SECONDS and VITALS_BENCH_FANOUT_SCALE
// (bench/fanout.mjs), VITALS_BENCH_STORM_CLIENTS and VITALS_BENCH_STORM_WINDOW_SECONDS
// (bench/storm.mjs), VITALS_BENCH_REQUEST_SECONDS (bench/request-load.mjs).
import { execFileSync, fork } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import {
  fanoutComparison,
  fanoutNotes,
  fanoutRun,
  fanoutTable,
  fanoutTitle,
  health,
  subscribersRun,
} from './fanout.mjs';
import { gpusNotes, gpusRun, gpusTable } from './gpus.mjs';
import { overviewNotes, overviewRun, overviewTable } from './overview.mjs';
import {
  requestLoadNotes,
  requestLoadRun,
  requestLoadTable,
  requestLoadTitle,
} from './request-load.mjs';
import { rollupsNotes, rollupsRun, rollupsTable } from './rollups.mjs';
import { observe, readProcess, startService } from './service.mjs';
import { stormNotes, stormRun, stormTable, stormTitle } from './storm.mjs';
import { MiB, log, mb, latency } from './format.mjs';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

const REDIS_URL = process.env.VITALS_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * A gateway fed by `agents` simulated agents at 1 Hz, with `count` subscribers on `paths`: the
 * gateway's CPU and RSS, and XADD → client latency from each sample's timestamp.
 */
async function gatewayRun({ agents, count, paths, seconds, label }) {
  // A real sample, from a standalone vitals on this machine, is what the agents send.
  const standalone = await startService({});
  const template = await (await fetch(`${standalone.url}/api/v1/metrics`)).text();
  await standalone.stop();
  const stream = `vitals-bench:${process.pid}:${label.replace(/\W+/g, '-')}`;
  const service = await startService({
    VITALS_MODE: 'gateway',
    VITALS_REDIS_URL: REDIS_URL,
    VITALS_REDIS_STREAM: stream,
  });
  const feed = fork(here('./simulated-agents.mjs'), [REDIS_URL, stream, String(agents), template]);
  await new Promise((resolve) => setTimeout(resolve, 3000)); // every agent has reported
  const load = fork(here('./subscribers.mjs'), [service.url, String(count), 'healthy', paths]);
  const next = (type) =>
    new Promise((resolve) => load.once('message', (m) => m.type === type && resolve(m)));
  const ramped = await next('ramped');
  log(`  ${label}: ${ramped.connected}/${count} connected, observing ${seconds} s`);
  load.send('reset');
  const { series, ...figures } = await observe(service.pid, seconds);
  const hosts = (await (await fetch(`${service.url}/api/v1/hosts`)).json()).hosts.length;
  load.send('report');
  const report = await next('report');
  feed.send('stop');
  const published = await new Promise((resolve) => feed.once('message', resolve));
  await service.stop();
  execFileSync('redis-cli', ['-u', REDIS_URL, 'DEL', stream]);
  return {
    label,
    agents,
    hosts,
    sampleBytes: template.length,
    subscribers: count,
    seconds,
    ...figures,
    connected: report.connected,
    failed: report.failed,
    eventsPerClientPerSecond: report.events / Math.max(1, report.connected) / seconds,
    latencyMs: report.latencyMs,
    published,
    rssSeries: series.map((s) => Math.round(s.rssBytes / MiB)),
  };
}

/** Runs a request load against `path` and returns the server's CPU per request. */
async function requestsRun(service, path, count, concurrency) {
  const before = readProcess(service.pid).cpuSeconds;
  const load = fork(here('./requests.mjs'), [
    `${service.url}${path}`,
    String(count),
    String(concurrency),
  ]);
  const report = await new Promise((resolve) => load.once('message', resolve));
  const cpuSeconds = readProcess(service.pid).cpuSeconds - before;
  return { path, ...report, serverCpuMsPerRequest: (cpuSeconds * 1000) / report.requests };
}

// Quantiles from a Prometheus histogram's buckets, interpolated as histogram_quantile() does.
function histogramQuantiles(text, name, label) {
  const byLabel = new Map();
  const pattern = new RegExp(`^${name}_bucket\\{le="([^"]+)",${label}="([^"]+)"\\} (\\S+)$`, 'gm');
  for (const [, le, key, value] of text.matchAll(pattern)) {
    if (!byLabel.has(key)) {
      byLabel.set(key, []);
    }
    byLabel.get(key).push({ le: le === '+Inf' ? Infinity : Number(le), count: Number(value) });
  }
  const quantile = (buckets, q) => {
    const total = buckets.at(-1).count;
    const rank = q * total;
    let previous = { le: 0, count: 0 };
    for (const bucket of buckets) {
      if (bucket.count >= rank) {
        if (bucket.le === Infinity) {
          return previous.le;
        }
        const inBucket = bucket.count - previous.count;
        return (
          previous.le +
          (bucket.le - previous.le) * (inBucket ? (rank - previous.count) / inBucket : 0)
        );
      }
      previous = bucket;
    }
    return previous.le;
  };
  return Object.fromEntries(
    [...byLabel].map(([key, buckets]) => [
      key,
      {
        count: buckets.at(-1).count,
        p50ms: quantile(buckets, 0.5) * 1000,
        p99ms: quantile(buckets, 0.99) * 1000,
      },
    ]),
  );
}

// The contract's group names, from the build `npm run bench` has just made.
const { SAMPLE_GROUPS: GROUPS } = await import('../dist/hub/sample-group.js');

/**
 * `count` subscribers on `count` distinct `groups=` selections, each resuming from before the
 * oldest retained event (so each replays the whole ring in its own projection), against a
 * service that has run `prefillSeconds` first; RSS is sampled from just before they connect.
 */
async function distinctRun({ label, script, count, prefillSeconds, seconds, env }) {
  const service = await startService(env, script);
  await new Promise((resolve) => setTimeout(resolve, prefillSeconds * 1000));
  const history = await (await fetch(`${service.url}/api/v1/metrics/history?limit=1`)).json();
  const retained = { oldest: history.oldest, newest: history.newest };
  const paths = Array.from({ length: count }, (_, i) => {
    const groups = GROUPS.filter((_, bit) => ((i + 1) >> bit) & 1).join(',');
    return `/api/v1/stream?groups=${groups}&lastEventId=0`;
  }).join('|');
  const observing = observe(service.pid, seconds);
  const load = fork(here('./subscribers.mjs'), [service.url, String(count), 'healthy', paths]);
  const next = (type) =>
    new Promise((resolve) => load.once('message', (m) => m.type === type && resolve(m)));
  const ramped = await next('ramped');
  log(`  ${label}: ${ramped.connected}/${count} connected, ring ${JSON.stringify(retained)}`);
  const { series, ...figures } = await observing;
  const streams = (await health(service.url)).streams ?? null;
  load.send('report');
  const report = await next('report');
  await service.stop();
  return {
    label,
    subscribers: count,
    selections: count,
    retainedAtStart: retained,
    prefillSeconds,
    seconds,
    ...figures,
    connected: report.connected,
    failed: report.failed,
    eventsPerClient: report.events / Math.max(1, report.connected),
    serverStreams: streams,
    rssSeries: series.map((s) => Math.round(s.rssBytes / MiB)),
  };
}

/** One fresh process per tree size: the read times and the RSS its containers add. */
function containersTreeRun(count, reads) {
  return new Promise((resolve, reject) => {
    const child = fork(here('./containers-tree.mjs'), [String(count), String(reads)], {
      execArgv: ['--expose-gc'],
    });
    child.once('message', resolve);
    child.once('exit', (code) => code !== 0 && reject(new Error(`containers-tree exited ${code}`)));
  });
}

const SCENARIOS = {
  // Issue 18: the per-tick cost of the containers group.
  containers: {
    title: 'Containers: the per-tick read of 0, 50 and 500 containers in a cgroup v2 tree',
    async run() {
      const reads = Number(process.env.VITALS_BENCH_CONTAINER_READS ?? 300);
      const runs = [];
      for (const count of [0, 50, 500]) {
        runs.push(await containersTreeRun(count, reads));
        log(`  ${count} containers: p50 ${runs.at(-1).p50.toFixed(2)} ms`);
      }
      return { runs, targets: { 50: 2, 500: 15 } };
    },
    table({ runs, targets }) {
      const base = runs.find((r) => r.count === 0);
      return [
        '| containers | reads | p50 (ms) | p99 (ms) | max (ms) | RSS added (MiB) | heap kept (MiB) | target p50 |',
        '|---|---|---|---|---|---|---|---|',
        ...runs.map((r) => {
          const target = targets[r.count];
          const verdict =
            target === undefined ? '–' : `≤ ${target} ms: ${r.p50 <= target ? 'pass' : '**FAIL**'}`;
          return `| ${r.count} | ${r.reads} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.max.toFixed(2)} | ${mb(r.rssAdded - (r === base ? 0 : base.rssAdded))} | ${mb(r.heapAdded)} | ${verdict} |`;
        }),
      ].join('\n');
    },
    notes:
      'bench/containers-tree.mjs builds, in a temporary directory, a cgroup v2 tree of that many ' +
      "Docker containers from the recorded fixture's files (test/fixtures/cgroups/v2), each with " +
      'its own process, `net/dev` and network namespace, and times the compiled ' +
      "ContainerCgroupsReader.read() as the sampler calls it each tick (a tenth of the containers' " +
      '`cpu.stat` rewritten between reads, outside the timing). Each size runs in a fresh process; ' +
      'RSS added is the growth over the reads (after a GC), less that of the empty tree; heap ' +
      'kept is the live JavaScript heap the reader holds after them. The tree ' +
      'is on tmpfs-like /tmp, not cgroupfs: the kernel generates real cgroup files in memory too.',
  },
  // Issue 10: a gateway serving many subscribers from many agents through Redis.
  gateway: {
    title: 'Gateway: 50 simulated agents at 1 Hz through Redis, 1,000 subscribers, 60 s',
    async run() {
      const agents = 50;
      const hosts = Array.from({ length: agents }, (_, i) => String(i).padStart(2, '0'));
      const oneHostEach = hosts.map((i) => `/api/v1/stream?host=agent-${i}`).join('|');
      return {
        runs: [
          await gatewayRun({
            agents,
            count: 1000,
            paths: oneHostEach,
            seconds: 60,
            label: 'one host per subscriber',
          }),
          await gatewayRun({
            agents,
            count: 1000,
            paths: '/api/v1/stream?groups=cpu,memory',
            seconds: 60,
            label: 'every host, cpu+memory',
          }),
        ],
      };
    },
    table({ runs }) {
      return [
        '| subscribers | agents seen | connected | events/client/s | gateway CPU % | RSS start → peak → end (MiB) | XADD → client p50/p99/max (ms) |',
        '|---|---|---|---|---|---|---|',
        ...runs.map(
          (r) =>
            `| ${r.subscribers}, ${r.label} | ${r.hosts} | ${r.connected} | ${r.eventsPerClientPerSecond.toFixed(2)} | ${r.cpuPercent.toFixed(1)} | ${mb(r.rssStartBytes)} → ${mb(r.rssPeakBytes)} → ${mb(r.rssEndBytes)} | ${latency(r)} |`,
        ),
      ].join('\n');
    },
    notes:
      'bench/simulated-agents.mjs appends a real sample (taken by a standalone vitals on this ' +
      'machine, about 3 KB) per agent per second, spread over the second, to the local Redis; ' +
      'latency is from the time the agent stamps just before its XADD to the subscriber parsing ' +
      'the frame. The agents, the subscribers, Redis and the gateway share the two cores. ' +
      '"one host per subscriber": subscribers spread over `host=agent-00` … `agent-49` (the ' +
      'dashboard case); "every host": each subscriber gets all 50 hosts, cpu and memory only.',
  },
  // Issue 5: one shared sampler fanned out, against the floor, the @Sse control and the naive design.
  fanout: {
    title: fanoutTitle,
    run: fanoutRun,
    table: fanoutComparison,
    notes: fanoutNotes,
  },
  // Issue 5: 10,000 subscribers on four different selections: four serializations per tick.
  'fanout-groups': {
    title: 'Fan-out at 1 Hz: 10,000 subscribers across four groups= selections, 60 s',
    async run() {
      const paths = [
        '/api/v1/stream',
        '/api/v1/stream?groups=cpu,memory',
        '/api/v1/stream?groups=network,diskIo',
        '/api/v1/stream?groups=processes',
      ].join('|');
      const run = await subscribersRun({
        count: 10000,
        mode: 'healthy',
        seconds: 60,
        env: {},
        paths,
      });
      return { runs: [{ ...run, paths }] };
    },
    table: fanoutTable,
  },
  // Issue 15 (9): frames cached for every distinct groups= selection, replayed from far back.
  'fanout-distinct': {
    title:
      'Distinct selections: 1,000 subscribers on 1,000 groups= selections resuming from before the ring, 250 ms interval, 60 s',
    async run() {
      const common = {
        count: 1000,
        prefillSeconds: 90,
        seconds: 60,
        env: { VITALS_INTERVAL_MS: '250' },
      };
      const runs = [];
      if (process.env.VITALS_BENCH_BASE) {
        runs.push(
          await distinctRun({
            ...common,
            label: `base (${process.env.VITALS_BENCH_BASE_LABEL ?? process.env.VITALS_BENCH_BASE})`,
            script: process.env.VITALS_BENCH_BASE,
          }),
        );
      }
      runs.push(await distinctRun({ ...common, label: 'this build' }));
      return { runs };
    },
    table({ runs }) {
      return [
        '| build | connected | ring at start (events) | events/client in 60 s | server CPU % | RSS start → peak → end (MiB) | dropped |',
        '|---|---|---|---|---|---|---|',
        ...runs.map(
          (r) =>
            `| ${r.label} | ${r.connected} | ${r.retainedAtStart ? Number(r.retainedAtStart.newest) - Number(r.retainedAtStart.oldest) + 1 : 0} | ${r.eventsPerClient.toFixed(0)} | ${r.cpuPercent.toFixed(1)} | ${mb(r.rssStartBytes)} → ${mb(r.rssPeakBytes)} → ${mb(r.rssEndBytes)} | ${r.serverStreams?.dropped ?? '–'} |`,
        ),
        '',
        ...runs.map((r) => `RSS every second, ${r.label} (MiB): ${r.rssSeries.join(' ')}`),
      ].join('\n');
    },
    notes:
      'Each subscriber takes its own `groups=` selection (1,000 of the 1,023 non-empty subsets ' +
      'of the 10 groups) and `lastEventId=0`, so it gets a gap frame and then replays the whole ' +
      'ring (filled for 90 s at 4 Hz) in its projection, then goes on live. RSS is sampled from ' +
      'just before the subscribers connect. Frames used to be cached per event for every ' +
      'selection served (about 2 MB per event here); they are now cached within one byte budget ' +
      'across all events (src/stream/frame-cache.ts, 32 MiB).',
  },
  // Issue 6 (and 5): the cost of vitals with nobody watching, every group at its default cadence.
  idle: {
    title:
      'Idle: no subscribers, every group on at its default cadence (1 s tick), 60 s from 60 s after start',
    async run() {
      const service = await startService({});
      // Past the start-up burst: V8's memory reducer compacts the heap once allocation slows,
      // 25 s after start on a quiet machine, later on a busy one (one run here: after 30 s).
      await new Promise((resolve) => setTimeout(resolve, 60_000));
      const { series, ...figures } = await observe(service.pid, 60);
      const metrics = await (await fetch(`${service.url}/metrics`)).text();
      await service.stop();
      return {
        ...figures,
        rssSeries: series.map((s) => Math.round(s.rssBytes / MiB)),
        groups: histogramQuantiles(metrics, 'vitals_sampler_group_duration_seconds', 'group'),
      };
    },
    table(r) {
      const verdict = (ok) => (ok ? 'pass' : '**FAIL**');
      return [
        '| server CPU % of one core | RSS start → peak → end (MiB) | target ≤ 0.3 % | target ≤ 90 MiB |',
        '|---|---|---|---|',
        `| ${r.cpuPercent.toFixed(2)} | ${mb(r.rssStartBytes)} → ${mb(r.rssPeakBytes)} → ${mb(r.rssEndBytes)} | ${verdict(r.cpuPercent <= 0.3)} | ${verdict(r.rssPeakBytes <= 90 * MiB)} |`,
        '',
        '| group | reads | p50 (ms) | p99 (ms) |',
        '|---|---|---|---|',
        ...Object.entries(r.groups).map(
          ([group, g]) =>
            `| ${group} | ${g.count} | ${g.p50ms.toFixed(2)} | ${g.p99ms.toFixed(2)} |`,
        ),
      ].join('\n');
    },
    notes:
      'Group read times are interpolated from the `vitals_sampler_group_duration_seconds` ' +
      'histogram buckets (as `histogram_quantile` does), so they are bucket-resolution estimates.',
  },
  // Issue 6 (and 5): what a REST or Prometheus reader costs the server.
  rest: {
    title: 'REST and Prometheus: 10,000 requests each, 50 keep-alive connections',
    async run() {
      const service = await startService({});
      const runs = [];
      for (const path of ['/api/v1/metrics', '/metrics']) {
        await requestsRun(service, path, 1000, 50); // warm-up
        runs.push(await requestsRun(service, path, 10000, 50));
      }
      await service.stop();
      return { runs };
    },
    table({ runs }) {
      return [
        '| route | requests | failed | req/s | server CPU ms per request | latency p50/p99 (ms) |',
        '|---|---|---|---|---|---|',
        ...runs.map(
          (r) =>
            `| \`${r.path}\` | ${r.requests} | ${r.failed} | ${r.perSecond.toFixed(0)} | ${r.serverCpuMsPerRequest.toFixed(3)} | ${r.latencyMs.p50.toFixed(2)}/${r.latencyMs.p99.toFixed(2)} |`,
        ),
      ].join('\n');
    },
    notes:
      'The load process runs on the same two cores; server CPU is read from /proc/<pid>/stat ' +
      'before and after, so it includes the sampler ticking in the background.',
  },
  // vitals' memory and CPU under a steady request load and a scraper that never waits.
  'request-load': {
    title: requestLoadTitle,
    run: requestLoadRun,
    table: requestLoadTable,
    notes: requestLoadNotes,
  },
  // Issue 4: a stalled subscriber must not grow the server's memory.
  'slow-clients': {
    title: 'Slow clients: 1,000 stalled vs 1,000 healthy subscribers, 250 ms interval, 60 s',
    async run() {
      const env = { VITALS_INTERVAL_MS: '250' };
      const healthy = await subscribersRun({ count: 1000, mode: 'healthy', seconds: 60, env });
      const stalled = await subscribersRun({ count: 1000, mode: 'stalled', seconds: 60, env });
      return { runs: [healthy, stalled] };
    },
    notes:
      "A stalled subscriber first fills the kernel's socket buffers (about 4 MB per connection " +
      'on loopback) before vitals sees backpressure; only then does it fall behind in the shared ' +
      'ring and, past VITALS_CLIENT_BUFFER_BYTES, get dropped. At ~1.7 KB/s per stream that takes ' +
      'longer than 60 s, so the bytes sit in "kernel TCP" and `dropped` stays 0 here; ' +
      'test/limits.e2e-spec.ts drives a stalled client past the bound with large frames.',
    table({ runs }) {
      return [
        '| subscribers | connected | server CPU % | RSS start → peak → end (MiB) | kernel TCP peak (MiB) | events/client/s | latency p50/p99/max (ms) | dropped |',
        '|---|---|---|---|---|---|---|---|',
        ...runs.map(
          (r) =>
            `| ${r.subscribers} ${r.mode} | ${r.connected} | ${r.cpuPercent.toFixed(1)} | ${mb(r.rssStartBytes)} → ${mb(r.rssPeakBytes)} → ${mb(r.rssEndBytes)} | ${mb(r.tcpKernelPeakBytes)} | ${r.eventsPerClientPerSecond.toFixed(2)} | ${latency(r)} | ${r.serverStreams?.dropped ?? '–'} |`,
        ),
      ].join('\n');
    },
  },
  // A proxy restart: every subscriber drops at once and resumes with Last-Event-ID.
  storm: {
    title: stormTitle,
    run: stormRun,
    table: stormTable,
    notes: stormNotes,
  },
  // Issue 17: what long-term history costs: CPU per bucket, queries, disk, idle.
  rollups: {
    title:
      'Rollups: CPU per closed bucket (1 host on SQLite, 50 on PostgreSQL), queries over full retention, disk per host, idle on vs off',
    run: rollupsRun,
    table: rollupsTable,
    notes: rollupsNotes,
  },
  // Issue 20: the idle cost of one long-running nvidia-smi at the tick.
  gpus: {
    title: 'GPUs: idle CPU with a stand-in nvidia-smi streaming 8 GPUs at 1 Hz, against without it',
    run: gpusRun,
    table: gpusTable,
    notes: gpusNotes,
  },
  // Issue 21: the overview's frame times in Chromium with 200 hosts at 1 Hz.
  overview: {
    title: 'Overview: frame times in Chromium with 200 hosts at 1 Hz through a gateway',
    run: overviewRun,
    table: overviewTable,
    notes: overviewNotes,
  },
};

const git = (...args) => execFileSync('git', args, { encoding: 'utf8' }).trim();
const names = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(SCENARIOS);
const machine = `${os.cpus().length} × ${os.cpus()[0].model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Linux ${os.release()}, Node ${process.version}`;
mkdirSync(here('./results'), { recursive: true });
const resultsPath = here('./RESULTS.md');
const readResults = () => {
  try {
    return readFileSync(resultsPath, 'utf8');
  } catch {
    return '# Benchmark results\n\nWritten by `npm run bench`; each section is replaced when its scenario runs again.\n';
  }
};
let existing = readResults();
// A comparison with another build, or a shortened run, is part of the command that made the
// figures.
const baseEnv = [
  'VITALS_BENCH_BASE',
  'VITALS_BENCH_BASE_LABEL',
  'VITALS_BENCH_IDLE_SECONDS',
  'VITALS_BENCH_QUERY_REPEATS',
  'VITALS_BENCH_SIM_HOURS',
  'VITALS_BENCH_OVERVIEW_SECONDS',
  'VITALS_BENCH_FANOUT_SECONDS',
  'VITALS_BENCH_FANOUT_SCALE',
  'VITALS_BENCH_STORM_CLIENTS',
  'VITALS_BENCH_STORM_WINDOW_SECONDS',
  'VITALS_BENCH_REQUEST_SECONDS',
]
  .filter((key) => process.env[key])
  .map((key) => `${key}=${JSON.stringify(process.env[key])} `)
  .join('');

for (const name of names) {
  const scenario = SCENARIOS[name];
  if (!scenario) {
    throw new Error(`unknown scenario ${name}; known: ${Object.keys(SCENARIOS).join(', ')}`);
  }
  log(`${name}: ${scenario.title}`);
  const result = await scenario.run();
  const meta = {
    scenario: name,
    command: `${baseEnv}npm run bench -- ${name}`,
    commit:
      git('rev-parse', '--short', 'HEAD') +
      (git('status', '--porcelain', '--untracked-files=no') ? ' (dirty)' : ''),
    date: new Date().toISOString(),
    machine,
  };
  writeFileSync(
    here(`./results/${name}.json`),
    `${JSON.stringify({ ...meta, ...result }, null, 2)}\n`,
  );
  const section = [
    `<!-- ${name} -->`,
    `## ${scenario.title}`,
    '',
    `\`${meta.command}\` · commit ${meta.commit} · ${meta.date} · ${machine}`,
    '',
    scenario.table(result),
    ...(scenario.notes ? ['', scenario.notes] : []),
    `<!-- /${name} -->`,
  ].join('\n');
  const pattern = new RegExp(`<!-- ${name} -->[\\s\\S]*?<!-- /${name} -->`);
  existing = pattern.test(existing)
    ? existing.replace(pattern, section)
    : `${existing.trimEnd()}\n\n${section}\n`;
  writeFileSync(resultsPath, existing);
  log(scenario.table(result));
}
