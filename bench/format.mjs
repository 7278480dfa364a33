// What every scenario prints and how: progress lines and figures in MiB (2^20 bytes).
export const MiB = 1024 * 1024;
export const log = (line) => process.stdout.write(`${line}\n`);
export const mb = (bytes) => (bytes / MiB).toFixed(1);
export const latency = (r) =>
  r.latencyMs ? `${r.latencyMs.p50}/${r.latencyMs.p99}/${r.latencyMs.max}` : '–';
