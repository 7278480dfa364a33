// What a steady request load does to vitals' memory and CPU: 4 keep-alive connections sending
// GET /api/v1/metrics back to back for SECONDS, then the same for GET /metrics (a scraper that
// never waits), with the server's RSS sampled every 250 ms throughout. bench/requests.mjs sends
// the requests; `rest` measures the same routes with 10,000 requests over 50 connections.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { readProcess, startService } from './service.mjs';
import { MiB, log, mb } from './format.mjs';

const SECONDS = Number(process.env.VITALS_BENCH_REQUEST_SECONDS ?? 15);
const CONNECTIONS = 4;
const WARM_UP_REQUESTS = 1000;
const SAMPLE_MS = 250;
// CPU per request by route; RSS for both.
const TARGETS = {
  rssPeakMiB: 150,
  cpuMsPerRequest: { '/api/v1/metrics': 0.1, '/metrics': 1 },
};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const here = (path) => fileURLToPath(new URL(path, import.meta.url));

export const requestLoadTitle = `Request load: ${CONNECTIONS} keep-alive connections back to back for ${SECONDS} s, /api/v1/metrics then /metrics`;

function load(service, path, count) {
  const child = fork(here('./requests.mjs'), [
    `${service.url}${path}`,
    String(count),
    String(CONNECTIONS),
  ]);
  return new Promise((resolve) => child.once('message', resolve));
}

/** `path` for SECONDS over CONNECTIONS connections, sampling the server every SAMPLE_MS. */
async function loadRun(service, path) {
  const series = [readProcess(service.pid)];
  const sampler = setInterval(() => series.push(readProcess(service.pid)), SAMPLE_MS);
  const report = await load(service, path, `${SECONDS}s`);
  clearInterval(sampler);
  series.push(readProcess(service.pid));
  const cpuSeconds = series.at(-1).cpuSeconds - series[0].cpuSeconds;
  const run = {
    path,
    connections: CONNECTIONS,
    ...report,
    serverCpuMsPerRequest: (cpuSeconds * 1000) / report.requests,
    serverCpuPercent: (cpuSeconds / report.seconds) * 100,
    rssStartBytes: series[0].rssBytes,
    rssPeakBytes: Math.max(...series.map((s) => s.rssBytes)),
    rssEndBytes: series.at(-1).rssBytes,
    rssSeries: series.map((s) => Math.round(s.rssBytes / MiB)),
  };
  log(
    `  ${path}: ${run.requests} requests, ${run.serverCpuMsPerRequest.toFixed(3)} ms CPU each, ` +
      `peak RSS ${mb(run.rssPeakBytes)} MiB`,
  );
  return run;
}

/** Warms both routes up, then loads each in turn on the same vitals. */
export async function requestLoadRun() {
  const service = await startService({});
  await sleep(5000); // past startup
  for (const path of ['/api/v1/metrics', '/metrics']) {
    await load(service, path, WARM_UP_REQUESTS);
  }
  const runs = [];
  for (const path of ['/api/v1/metrics', '/metrics']) {
    runs.push(await loadRun(service, path));
  }
  await service.stop();
  return {
    seconds: SECONDS,
    connections: CONNECTIONS,
    sampleMs: SAMPLE_MS,
    targets: TARGETS,
    runs,
  };
}

const verdict = (pass) => (pass ? 'pass' : '**FAIL**');

export function requestLoadTable(r) {
  return [
    `| route | requests | failed | req/s | server CPU ms per request | server CPU % | RSS start → peak → end (MiB) | CPU target | RSS target |`,
    '|---|---|---|---|---|---|---|---|---|',
    ...r.runs.map((run) => {
      const cpuTarget = r.targets.cpuMsPerRequest[run.path];
      return `| \`${run.path}\` | ${run.requests} | ${run.failed} | ${run.perSecond.toFixed(0)} | ${run.serverCpuMsPerRequest.toFixed(3)} | ${run.serverCpuPercent.toFixed(1)} | ${mb(run.rssStartBytes)} → ${mb(run.rssPeakBytes)} → ${mb(run.rssEndBytes)} | ≤ ${cpuTarget} ms: ${verdict(run.serverCpuMsPerRequest <= cpuTarget && run.failed === 0)} | peak ≤ ${r.targets.rssPeakMiB} MiB: ${verdict(run.rssPeakBytes <= r.targets.rssPeakMiB * MiB)} |`;
    }),
    '',
    ...r.runs.map(
      (run) => `RSS every ${r.sampleMs} ms, \`${run.path}\` (MiB): ${run.rssSeries.join(' ')}`,
    ),
  ].join('\n');
}

export const requestLoadNotes =
  `${CONNECTIONS} keep-alive connections from bench/requests.mjs, each sending its next request ` +
  'as soon as the last one is answered, for the whole time, on a vitals warmed up with ' +
  `${WARM_UP_REQUESTS} requests to each route first (the same process serves both runs, ` +
  '`/api/v1/metrics` first). RSS (VmRSS) is read from /proc every 250 ms; server CPU is read ' +
  'from /proc/<pid>/stat before and after, so it includes the sampler ticking in the ' +
  'background, and per request it is that divided by the requests answered. MiB = 2^20 bytes. ' +
  'The load process shares the two cores.';
