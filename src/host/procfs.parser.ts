// Pure parsers for the Linux /proc files the sampler reads every tick. Kept apart from
// LinuxHostReader so they are tested against recorded kernel output.

/** Cumulative CPU time of one line of /proc/stat, in clock ticks. */
export interface CpuTimes {
  user: number;
  nice: number;
  system: number;
  idle: number;
  iowait: number;
  irq: number;
  softirq: number;
  steal: number;
}

/** Shares of CPU time between two readings, in percent. */
export interface CpuShares {
  usage: number;
  user: number;
  system: number;
  iowait: number;
  steal: number;
  idle: number;
}

/** The aggregate `cpu` line first, then `cpu0`, `cpu1`, … in order. */
export function parseProcStat(text: string): CpuTimes[] {
  const times: CpuTimes[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('cpu')) {
      continue;
    }
    // Older kernels have fewer columns; missing ones count as 0. guest and guest_nice are
    // already included in user and nice, so they are not read.
    const [user, nice, system, idle, iowait, irq, softirq, steal] = line
      .trim()
      .split(/\s+/)
      .slice(1, 9)
      .map((field) => Number(field) || 0);
    times.push({
      user: user ?? 0,
      nice: nice ?? 0,
      system: system ?? 0,
      idle: idle ?? 0,
      iowait: iowait ?? 0,
      irq: irq ?? 0,
      softirq: softirq ?? 0,
      steal: steal ?? 0,
    });
  }
  if (times.length === 0) {
    throw new Error('no cpu lines in /proc/stat');
  }
  return times;
}

const round2 = (value: number): number => Math.round(value * 100) / 100;
const percent = (part: number, total: number): number =>
  round2(Math.min(100, Math.max(0, (part / total) * 100)));

/** CPU shares between two readings of the same line; null when no time has passed. */
export function cpuShares(before: CpuTimes, after: CpuTimes): CpuShares | null {
  // A counter can step back when a core goes offline and returns: treat that as no time.
  const d = (key: keyof CpuTimes): number => Math.max(0, after[key] - before[key]);
  const user = d('user') + d('nice');
  const system = d('system') + d('irq') + d('softirq');
  const idle = d('idle');
  const iowait = d('iowait');
  const steal = d('steal');
  const total = user + system + idle + iowait + steal;
  if (total === 0) {
    return null;
  }
  return {
    usage: percent(total - idle - iowait, total),
    user: percent(user, total),
    system: percent(system, total),
    iowait: percent(iowait, total),
    steal: percent(steal, total),
    idle: percent(idle, total),
  };
}

/** The three load averages of /proc/loadavg. */
export function parseLoadAvg(text: string): number[] {
  const load = text.trim().split(/\s+/).slice(0, 3).map(Number);
  if (load.length !== 3 || load.some((value) => !Number.isFinite(value))) {
    throw new Error(`unexpected /proc/loadavg: ${JSON.stringify(text.slice(0, 80))}`);
  }
  return load;
}

/** The fields of /proc/meminfo, in bytes. */
export function parseMemInfo(text: string): Map<string, number> {
  const fields = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^(\w+(?:\(\w+\))?):\s+(\d+)(?:\s+kB)?$/.exec(line.trim());
    if (match?.[1] && match[2]) {
      fields.set(match[1], Number(match[2]) * (line.trimEnd().endsWith('kB') ? 1024 : 1));
    }
  }
  return fields;
}

export interface MemoryFigures {
  total: number;
  used: number;
  available: number;
  usage: number;
  swapTotal: number;
  swapUsed: number;
  swapUsage: number | null;
}

/** The memory group from /proc/meminfo fields (see parseMemInfo). */
export function memoryFromMemInfo(fields: Map<string, number>): MemoryFigures {
  const field = (name: string): number => fields.get(name) ?? 0;
  const total = field('MemTotal');
  if (total <= 0) {
    throw new Error('no MemTotal in /proc/meminfo');
  }
  // MemAvailable exists since Linux 3.14; before it, free + page cache is the usual estimate.
  const available = Math.min(
    total,
    fields.get('MemAvailable') ??
      field('MemFree') + field('Buffers') + field('Cached') + field('SReclaimable'),
  );
  const used = total - available;
  const swapTotal = field('SwapTotal');
  const swapUsed = Math.max(0, swapTotal - field('SwapFree'));
  return {
    total,
    used,
    available,
    usage: percent(used, total),
    swapTotal,
    swapUsed,
    swapUsage: swapTotal > 0 ? percent(swapUsed, swapTotal) : null,
  };
}

/** Cumulative byte counters of one network interface. */
export interface InterfaceCounters {
  iface: string;
  rxBytes: number;
  txBytes: number;
}

/** Interfaces of /proc/net/dev, in file order. */
export function parseNetDev(text: string): InterfaceCounters[] {
  const interfaces: InterfaceCounters[] = [];
  for (const line of text.split('\n').slice(2)) {
    const colon = line.indexOf(':');
    if (colon === -1) {
      continue;
    }
    const fields = line
      .slice(colon + 1)
      .trim()
      .split(/\s+/)
      .map(Number);
    interfaces.push({
      iface: line.slice(0, colon).trim(),
      rxBytes: fields[0] ?? 0,
      txBytes: fields[8] ?? 0,
    });
  }
  return interfaces;
}

/** Cumulative counters of one block device. */
export interface DiskCounters {
  device: string;
  readsCompleted: number;
  sectorsRead: number;
  writesCompleted: number;
  sectorsWritten: number;
}

/** Devices of /proc/diskstats (all of them: partitions included). */
export function parseDiskStats(text: string): DiskCounters[] {
  const disks: DiskCounters[] = [];
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 10) {
      continue;
    }
    disks.push({
      device: fields[2]!,
      readsCompleted: Number(fields[3]),
      sectorsRead: Number(fields[5]),
      writesCompleted: Number(fields[7]),
      sectorsWritten: Number(fields[9]),
    });
  }
  return disks;
}

/** Seconds since boot, from /proc/uptime. */
export function parseUptime(text: string): number {
  const seconds = Number(text.trim().split(/\s+/)[0]);
  if (!Number.isFinite(seconds)) {
    throw new Error(`unexpected /proc/uptime: ${JSON.stringify(text.slice(0, 80))}`);
  }
  return seconds;
}

/**
 * A per-second rate between two readings of a counter; null when the counter went backwards
 * (reset, or a 32-bit counter wrapped), since the true change is unknown.
 */
export function ratePerSecond(before: number, after: number, seconds: number): number | null {
  if (after < before || seconds <= 0) {
    return null;
  }
  return round2((after - before) / seconds);
}

/** What one /proc/<pid>/stat says about its process. */
export interface PidStat {
  name: string;
  state: string;
  /** utime + stime, in clock ticks. */
  cpuTicks: number;
  rssPages: number;
}

/** A /proc/<pid>/stat line; the name is between the first '(' and the last ')'. */
export function parsePidStat(text: string): PidStat | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open === -1 || close < open) {
    return undefined;
  }
  // Fields after the name, numbered from 3 (state) as in proc(5).
  const fields = text.slice(close + 2).split(' ');
  const field = (n: number): number => Number(fields[n - 3]) || 0;
  return {
    name: text.slice(open + 1, close),
    state: fields[0] ?? '?',
    cpuTicks: field(14) + field(15),
    rssPages: field(24),
  };
}
