// Pure conversions from systeminformation's outputs to sample groups, tested against recorded
// outputs. The shapes are declared here so that only PortableHostReader imports the library.
import type { DiskUsageDto } from '../hub/dto/disk-usage.dto.js';
import type { ProcessesDto } from '../hub/dto/processes.dto.js';

export interface FsSizeEntry {
  fs: string;
  type: string;
  size: number;
  used: number;
  use: number;
  mount: string;
}

export interface ProcessTable {
  all: number;
  running: number;
  list: Array<{ pid: number; name: string; cpu: number; mem: number; memRss: number }>;
}

// Filesystems that hold memory or container layers, not storage of their own.
const PSEUDO_FS = new Set(['tmpfs', 'devtmpfs', 'squashfs', 'ramfs', 'overlay', 'nsfs']);

const round2 = (value: number): number => Math.round(value * 100) / 100;

/** Real filesystems with their usage as `df` reports it. */
export function toDiskUsage(filesystems: readonly FsSizeEntry[]): DiskUsageDto[] {
  return filesystems
    .filter((fs) => fs.size > 0 && !PSEUDO_FS.has(fs.type))
    .map((fs) => ({
      mount: fs.mount,
      fs: fs.fs,
      type: fs.type,
      size: fs.size,
      used: fs.used,
      usage: round2(fs.use),
    }));
}

/** Counts and the `top` busiest processes by CPU (memRss is in KiB). */
export function toProcesses(table: ProcessTable, top: number): ProcessesDto {
  return {
    total: table.all,
    running: table.running,
    top: [...table.list]
      .sort((a, b) => b.cpu - a.cpu || b.memRss - a.memRss)
      .slice(0, top)
      .map((p) => ({
        pid: p.pid,
        name: p.name,
        cpu: round2(p.cpu),
        memory: round2(p.mem),
        rss: p.memRss * 1024,
      })),
  };
}

/** The CPU temperature, or null where systeminformation found no sensor (it reports null or -1). */
export function toCpuTemperature(reading: { main: number | null }): number | null {
  return reading.main !== null && reading.main > 0 ? reading.main : null;
}
