// Pure parsers for the cgroup files read for each container every tick (v2 and v1). Kept apart
// from the readers so they are tested against text recorded from real kernels.

/** Bytes read and written, summed over block devices. */
export interface IoBytes {
  read: number;
  write: number;
}

// cgroup v1 "no limit" is the largest page-aligned 64-bit value; anything above 2^60 is unlimited.
const V1_UNLIMITED = 2 ** 60;

const round2 = (value: number): number => Math.round(value * 100) / 100;

/** A file holding one number (memory.current, pids.current, cpuacct.usage, …). */
export function parseCount(text: string): number {
  const value = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(value)) {
    throw new Error(`not a number: ${JSON.stringify(text.slice(0, 40))}`);
  }
  return value;
}

/**
 * One field of a "key value" file (cpu.stat, memory.stat), found without splitting the others:
 * memory.stat has some sixty lines, read for one of them every tick. A missing field is an
 * error, never a made-up 0.
 */
export function flatField(text: string, key: string): number {
  const prefix = `${key} `;
  const line = text.startsWith(prefix) ? 0 : text.indexOf(`\n${prefix}`) + 1;
  if (line === 0 && !text.startsWith(prefix)) {
    throw new Error(`no ${key}`);
  }
  const start = line + prefix.length;
  const end = text.indexOf('\n', start);
  const raw = text.slice(start, end === -1 ? text.length : end).trim();
  const value = Number(raw);
  if (raw === '' || !Number.isFinite(value)) {
    throw new Error(`no ${key}`);
  }
  return value;
}

/** Cores from v2 cpu.max ("150000 100000", or "max 100000" for no limit); null when unlimited. */
export function parseCpuMax(text: string): number | null {
  const [quota, period] = text.trim().split(/\s+/);
  if (quota === 'max') {
    return null;
  }
  return cpuLimitV1(parseCount(quota ?? ''), parseCount(period ?? ''));
}

/** Cores from v1 cpu.cfs_quota_us and cpu.cfs_period_us; null when unlimited (quota -1). */
export function cpuLimitV1(quota: number, period: number): number | null {
  return quota > 0 && period > 0 ? round2(quota / period) : null;
}

/** Bytes from v2 memory.max ("max" for no limit); null when unlimited. */
export function parseMemoryMax(text: string): number | null {
  return text.trim() === 'max' ? null : parseCount(text);
}

/** Bytes from v1 memory.limit_in_bytes; null when unlimited (at or above 2^60). */
export function memoryLimitV1(bytes: number): number | null {
  return bytes >= V1_UNLIMITED ? null : bytes;
}

/**
 * v2 io.stat: one line per device with nonzero counters, "8:0 rbytes=… wbytes=… rios=… wios=…
 * dbytes=… dios=…" (newer kernels add fields; only rbytes and wbytes are summed).
 */
export function parseIoStat(text: string): IoBytes {
  const bytes = { read: 0, write: 0 };
  for (const line of text.split('\n')) {
    for (const pair of line.trim().split(/\s+/).slice(1)) {
      const [key, value] = pair.split('=');
      if (key === 'rbytes') {
        bytes.read += Number(value) || 0;
      } else if (key === 'wbytes') {
        bytes.write += Number(value) || 0;
      }
    }
  }
  return bytes;
}

/**
 * v1 blkio.throttle.io_service_bytes(_recursive): "8:0 Read 4096" lines per device and operation,
 * then one "Total" line; the Read and Write lines are summed.
 */
export function parseBlkioBytes(text: string): IoBytes {
  const bytes = { read: 0, write: 0 };
  for (const line of text.split('\n')) {
    const [, operation, value] = line.trim().split(/\s+/);
    if (operation === 'Read') {
      bytes.read += Number(value) || 0;
    } else if (operation === 'Write') {
      bytes.write += Number(value) || 0;
    }
  }
  return bytes;
}

/** The first pid of a cgroup.procs file; undefined when the cgroup has no process of its own. */
export function parseFirstPid(text: string): number | undefined {
  const pid = Number.parseInt(text, 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}
