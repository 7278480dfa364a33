// Issue 20: what reading GPUs costs an idle vitals. The stand-in nvidia-smi
// (test/fixtures/nvidia-smi) replays an eight-H100 board at 1 Hz, as the real one would report
// at the default tick, with its compute apps every 5 s; the control runs with
// VITALS_NVIDIA_SMI=off. Runs alternate, so drift on the machine falls on both alike. Only
// vitals' own CPU counts: nvidia-smi's is reported beside it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { observe, readProcess, startService } from './service.mjs';
import { log } from './format.mjs';

const STAND_IN = fileURLToPath(new URL('../test/fixtures/nvidia-smi/nvidia-smi', import.meta.url));
const SECONDS = Number(process.env.VITALS_BENCH_IDLE_SECONDS ?? 60);
const PAIRS = 3;
const READER = fileURLToPath(new URL('./gpu-reader.mjs', import.meta.url));
const TARGET_PERCENT = 0.05;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;
const round = (value, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;

async function idleRun(gpus) {
  const dir = mkdtempSync(join(tmpdir(), 'vitals-bench-gpus-'));
  const spawnLog = join(dir, 'spawns.log');
  writeFileSync(spawnLog, '');
  const env = gpus
    ? {
        VITALS_NVIDIA_SMI: STAND_IN,
        NVIDIA_SMI_RECORDING: 'h100x8',
        NVIDIA_SMI_SPAWN_LOG: spawnLog,
      }
    : { VITALS_NVIDIA_SMI: 'off' };
  const service = await startService(env);
  // Past startup and V8's memory reducer (a one-off heap compaction once the process is quiet).
  await sleep(25_000);
  const children = readFileSync(spawnLog, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => Number(line.split(' ')[0]));
  const before = children.map((pid) => readProcess(pid).cpuSeconds);
  const { cpuPercent, rssEndBytes } = await observe(service.pid, SECONDS);
  const after = children.map((pid) => readProcess(pid).cpuSeconds);
  const gpuCount = gpus
    ? (await (await fetch(`${service.url}/api/v1/metrics?groups=gpus`)).json()).gpus.length
    : 0;
  await service.stop();
  rmSync(dir, { recursive: true, force: true });
  const standInPercent =
    ((after.reduce((a, b) => a + b, 0) - before.reduce((a, b) => a + b, 0)) / SECONDS) * 100;
  const run = {
    nvidiaSmi: gpus ? 'stand-in, 8 GPUs' : 'off',
    gpus: gpuCount,
    children: children.length,
    cpuPercent: round(cpuPercent),
    standInCpuPercent: gpus ? round(standInPercent) : null,
    rssMiB: round(rssEndBytes / 2 ** 20, 1),
  };
  log(`  nvidia-smi ${run.nvidiaSmi}: vitals ${run.cpuPercent} % of one core`);
  return run;
}

/** The reader alone in a process, then the same process ticking without it. */
function readerRuns() {
  const runs = [];
  for (const mode of ['on', 'off', 'on', 'off']) {
    const out = execFileSync(process.execPath, [READER, String(SECONDS), mode], {
      encoding: 'utf8',
    });
    const run = JSON.parse(out.trim().split('\n').at(-1));
    runs.push({ ...run, cpuPercent: round(run.cpuPercent, 4) });
    log(`  reader alone, ${mode}: ${run.cpuPercent.toFixed(4)} % of one core`);
  }
  const meanOf = (mode) => mean(runs.filter((r) => r.mode === mode).map((r) => r.cpuPercent));
  return { runs, differencePercent: round(meanOf('on') - meanOf('off'), 4) };
}

export async function gpusRun() {
  const reader = readerRuns();
  const runs = [];
  for (let pair = 0; pair < PAIRS; pair++) {
    runs.push(await idleRun(true), await idleRun(false));
  }
  const on = mean(runs.filter((r) => r.nvidiaSmi !== 'off').map((r) => r.cpuPercent));
  const off = mean(runs.filter((r) => r.nvidiaSmi === 'off').map((r) => r.cpuPercent));
  const pairs = [];
  for (let i = 0; i + 1 < runs.length; i += 2) {
    pairs.push(round(runs[i].cpuPercent - runs[i + 1].cpuPercent));
  }
  return {
    seconds: SECONDS,
    reader,
    pairs,
    runs,
    meanOnPercent: round(on),
    meanOffPercent: round(off),
    differencePercent: round(on - off),
    target: TARGET_PERCENT,
    pass: on - off <= TARGET_PERCENT,
  };
}

export function gpusTable(r) {
  return [
    `The reader alone (bench/gpu-reader.mjs: NvidiaGpusReader and the stand-in, read once a second, nothing else in the process), ${r.seconds} s per run:`,
    '',
    '| reader | GPUs read | CPU % of one core |',
    '|---|---|---|',
    ...r.reader.runs.map((run) => `| ${run.mode} | ${run.gpus} | ${run.cpuPercent.toFixed(4)} |`),
    `| on − off (means) | | **${r.reader.differencePercent >= 0 ? '+' : ''}${r.reader.differencePercent.toFixed(4)}** |`,
    '',
    `Idle standalone vitals, ${r.seconds} s per run, alternated; target ≤ +${r.target} % of one core with nvidia-smi streaming:`,
    '',
    "| nvidia-smi | GPUs in the sample | its children | vitals CPU % of one core | the stand-in's CPU % | vitals RSS at the end (MiB) |",
    '|---|---|---|---|---|---|',
    ...r.runs.map(
      (run) =>
        `| ${run.nvidiaSmi} | ${run.gpus} | ${run.children} | ${run.cpuPercent.toFixed(3)} | ${run.standInCpuPercent === null ? '–' : run.standInCpuPercent.toFixed(3)} | ${run.rssMiB} |`,
    ),
    `| on − off (means) | | | **${r.differencePercent >= 0 ? '+' : ''}${r.differencePercent.toFixed(3)}** ${r.pass ? '(pass)' : '(FAIL)'} | | |`,
    '',
    `Each pair's difference (on − off): ${r.pairs.map((d) => (d >= 0 ? '+' : '') + d.toFixed(3)).join(', ')} % of one core.`,
  ].join('\n');
}

export const gpusNotes =
  'The stand-in is a Node script replaying recorded output (test/fixtures/nvidia-smi/README.md); ' +
  "its own CPU is a Node process's, not nvidia-smi's, and is not vitals' cost. The real " +
  'nvidia-smi keeps NVML open for the life of the loop; what vitals pays is reading and parsing ' +
  'eight CSV lines a second and a few compute-app lines every 5 s.';
