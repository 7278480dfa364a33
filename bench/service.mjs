// Starts the compiled service as a child process and samples its CPU and memory from /proc.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const CLK_TCK = 100; // Linux's USER_HZ, what /proc/<pid>/stat counts in

/** Starts vitals (or a control server script) with `env`; resolves once it listens. */
export async function startService(env, script = MAIN) {
  const dataDir = mkdtempSync(join(tmpdir(), 'vitals-bench-'));
  const child = spawn(process.execPath, [script], {
    // The load comes from one address by design: its per-address limits are off.
    env: {
      PATH: process.env.PATH,
      VITALS_PORT: '0',
      VITALS_LOG_FORMAT: 'json',
      VITALS_RATE_LIMIT: '0',
      VITALS_MAX_STREAMS_PER_IP: '0',
      // Rollups on, as by default, but in a fresh directory: never the repository's ./data.
      VITALS_DATA_DIR: dataDir,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  const url = await new Promise((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      output += chunk;
      const match = /Listening on (http:\/\/[\d.]+:\d+)/.exec(output);
      if (match) {
        resolve(match[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`service exited with ${code}: ${output}`)));
  });
  child.stdout.resume();
  return {
    url,
    pid: child.pid,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', (code) => {
          rmSync(dataDir, { recursive: true, force: true });
          resolve(code);
        });
        child.kill('SIGTERM');
      }),
  };
}

/** CPU seconds (user + system) and RSS bytes of a process, now. */
export function readProcess(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  const rss = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
  return { cpuSeconds, rssBytes: rss * 1024 };
}

/** Kernel memory held by TCP sockets, in bytes (pages from /proc/net/sockstat). */
export function tcpKernelBytes() {
  const pages = Number(/TCP: .* mem (\d+)/.exec(readFileSync('/proc/net/sockstat', 'utf8'))[1]);
  return pages * 4096;
}

/** Samples `pid` every second for `seconds`; returns CPU % of one core and RSS figures. */
export async function observe(pid, seconds, extra = () => ({})) {
  const start = readProcess(pid);
  const startedAt = performance.now();
  const series = [];
  for (let i = 0; i < seconds; i++) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    series.push({ ...readProcess(pid), tcpKernelBytes: tcpKernelBytes(), ...extra() });
  }
  const end = series.at(-1);
  const elapsed = (performance.now() - startedAt) / 1000;
  return {
    cpuPercent: ((end.cpuSeconds - start.cpuSeconds) / elapsed) * 100,
    rssStartBytes: start.rssBytes,
    rssPeakBytes: Math.max(...series.map((s) => s.rssBytes)),
    rssEndBytes: end.rssBytes,
    tcpKernelPeakBytes: Math.max(...series.map((s) => s.tcpKernelBytes)),
    series,
  };
}
