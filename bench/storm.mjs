// The reconnect storm: what a proxy restart in front of vitals does to it. CLIENTS healthy
// subscribers on /api/v1/stream take events for HOLD_SECONDS; then every connection drops at
// once and each client reconnects at a uniformly random moment within WINDOW_SECONDS, with
// Last-Event-ID (bench/storm-clients.mjs). Each should resume exactly where it was: its first
// event after reconnecting the one after its last, with no gap. Server RSS is sampled every
// 200 ms from the drop on, as the reconnections' buffers and replays come and go in less than
// a second.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { observe, readProcess, startService } from './service.mjs';
import { MiB, log, mb } from './format.mjs';

const CLIENTS = Number(process.env.VITALS_BENCH_STORM_CLIENTS ?? 10000);
const WINDOW_SECONDS = Number(process.env.VITALS_BENCH_STORM_WINDOW_SECONDS ?? 10);
const HOLD_SECONDS = 10;
// Contiguity is still checked for this long after the last client resumed.
const AFTER_SECONDS = 5;
const SAMPLE_MS = 200;
const TARGETS = { lastResumedSeconds: 15, rssPeakMiB: 400 };
const here = (path) => fileURLToPath(new URL(path, import.meta.url));

export const stormTitle = `Reconnect storm: ${CLIENTS.toLocaleString('en-US')} subscribers dropped at once, reconnecting within ${WINDOW_SECONDS} s with Last-Event-ID`;

/** Starts vitals, connects, holds, drops every connection and measures the resumes. */
export async function stormRun() {
  const service = await startService({});
  const load = fork(here('./storm-clients.mjs'), [
    service.url,
    String(CLIENTS),
    '/api/v1/stream',
    String(WINDOW_SECONDS * 1000),
  ]);
  const next = (type) =>
    new Promise((resolve) => {
      const listener = (message) => {
        if (message.type === type) {
          load.off('message', listener);
          resolve(message);
        }
      };
      load.on('message', listener);
    });
  const ramped = await next('ramped');
  log(`  ${ramped.connected}/${CLIENTS} connected, holding ${HOLD_SECONDS} s`);
  const steady = await observe(service.pid, HOLD_SECONDS);

  const series = [];
  const sample = () => series.push({ at: performance.now(), ...readProcess(service.pid) });
  sample();
  const sampler = setInterval(sample, SAMPLE_MS);
  const settled = next('settled');
  load.send('drop');
  const dropped = await next('dropped');
  log(
    `  dropped ${dropped.connected} connections (${dropped.withEvents} had events); reconnecting`,
  );
  const { afterMs } = await settled;
  sample();
  const storm = series.at(-1);
  await new Promise((resolve) => setTimeout(resolve, AFTER_SECONDS * 1000));
  clearInterval(sampler);
  sample();
  const reportPromise = next('report');
  load.send('report');
  const report = await reportPromise;
  delete report.type;
  await service.stop();

  const start = series[0];
  const stormSeconds = (storm.at - start.at) / 1000;
  const result = {
    clients: CLIENTS,
    holdSeconds: HOLD_SECONDS,
    windowSeconds: WINDOW_SECONDS,
    connectedBeforeDrop: dropped.connected,
    withEventsAtDrop: dropped.withEvents,
    ...report,
    settledMs: Math.round(afterMs),
    steadyCpuPercent: steady.cpuPercent,
    steadyRssPeakBytes: steady.rssPeakBytes,
    stormSeconds,
    stormCpuSeconds: storm.cpuSeconds - start.cpuSeconds,
    stormCpuPercent: ((storm.cpuSeconds - start.cpuSeconds) / stormSeconds) * 100,
    rssAtDropBytes: start.rssBytes,
    rssPeakBytes: Math.max(...series.map((s) => s.rssBytes)),
    rssEndBytes: series.at(-1).rssBytes,
    rssSampleMs: SAMPLE_MS,
    rssSeries: series.map((s) => Math.round(s.rssBytes / MiB)),
    targets: TARGETS,
  };
  log(
    `  ${report.resumed}/${CLIENTS} resumed (${report.resumedGapFree} gap-free), ` +
      `${report.failed} failed, last after ${(report.lastResumedMs / 1000).toFixed(1)} s`,
  );
  return result;
}

const verdict = (pass) => (pass ? 'pass' : '**FAIL**');

export function stormTable(r) {
  const lastResumed = r.lastResumedMs === null ? null : r.lastResumedMs / 1000;
  const failures = Object.entries(r.failures)
    .map(([reason, n]) => `${n} ${reason}`)
    .join(', ');
  const allGapFree = r.resumedGapFree === r.clients && r.failed === 0;
  const first = r.firstEventAfterReconnectMs;
  return [
    `| ${r.clients.toLocaleString('en-US')} clients, reconnecting within ${r.windowSeconds} s | figure | target |`,
    '|---|---|---|',
    `| connected before the drop (with events) | ${r.connectedBeforeDrop} (${r.withEventsAtDrop}) | all: ${verdict(r.connectedBeforeDrop === r.clients && r.withEventsAtDrop === r.clients)} |`,
    `| resumed gap-free | ${r.resumedGapFree} | all: ${verdict(allGapFree)} |`,
    `| resumed with a gap (\`gap\` frames seen) | ${r.resumedWithGap} (${r.gapFrames}) | 0: ${verdict(r.resumedWithGap === 0 && r.gapFrames === 0)} |`,
    `| failed to reconnect or resume | ${r.failed}${failures ? ` (${failures})` : ''} | 0: ${verdict(r.failed === 0)} |`,
    `| ids not following on after the resume | ${r.discontinuities.afterResume} (before the drop: ${r.discontinuities.beforeDrop}) | 0: ${verdict(r.discontinuities.afterResume === 0)} |`,
    `| \`meta\` id ≠ the Last-Event-ID sent | ${r.metaMismatches} | 0: ${verdict(r.metaMismatches === 0)} |`,
    `| drop → last client resumed (s) | ${lastResumed === null ? '–' : lastResumed.toFixed(1)} | ≤ ${r.targets.lastResumedSeconds}: ${verdict(lastResumed !== null && lastResumed <= r.targets.lastResumedSeconds && r.failed === 0)} |`,
    `| reconnect → first event p50/p99/max (ms) | ${first.p50 ?? '–'}/${first.p99 ?? '–'}/${first.max ?? '–'} | – |`,
    `| server RSS at the drop → peak → end (MiB) | ${mb(r.rssAtDropBytes)} → ${mb(r.rssPeakBytes)} → ${mb(r.rssEndBytes)} | peak ≤ ${r.targets.rssPeakMiB}: ${verdict(r.rssPeakBytes <= r.targets.rssPeakMiB * MiB)} |`,
    `| server CPU, drop → all resumed | ${r.stormCpuSeconds.toFixed(2)} s in ${r.stormSeconds.toFixed(1)} s (${r.stormCpuPercent.toFixed(1)} % of one core) | – |`,
    `| server CPU % before the drop (${r.holdSeconds} s) | ${r.steadyCpuPercent.toFixed(1)} | – |`,
    '',
    `RSS every ${r.rssSampleMs} ms from the drop (MiB): ${r.rssSeries.join(' ')}`,
  ].join('\n');
}

export const stormNotes =
  'bench/storm-clients.mjs ramps the clients up as bench/subscribers.mjs does (100 every ' +
  '100 ms), lets them take events for 10 s, then destroys every socket on its side at once (a ' +
  'proxy restart) and reconnects each client, on a new connection, at a uniformly random moment ' +
  'within the window, sending `Last-Event-ID` with the id of the last frame it had (as ' +
  'EventSource does). Ids on a standalone vitals are consecutive integers and a default ' +
  'subscription takes every event, so a client has resumed gap-free when its first event (a ' +
  '`sample` or `alert` with an id) after reconnecting is its last id + 1, with no `gap` frame; ' +
  'the `meta` frame that opens the resumed stream must carry the id sent, and frames without an ' +
  'id (alert state, `hosts`, `: ping`) are left out. Contiguity is checked for every event until ' +
  `${AFTER_SECONDS} s after the last client resumed. A client that has not resumed 20 s after ` +
  'the window has failed. RSS (VmRSS) and CPU are read from /proc every 200 ms from the drop; ' +
  'CPU is counted from the drop until every client has resumed or failed. The load process ' +
  'shares the two cores.';
