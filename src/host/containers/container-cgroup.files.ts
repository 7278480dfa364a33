import { join } from 'node:path';
import { ProcFile, ReadBuffer } from '../proc-file.js';
import {
  type IoBytes,
  cpuLimitV1,
  flatField,
  memoryLimitV1,
  parseBlkioBytes,
  parseCount,
  parseCpuMax,
  parseIoStat,
  parseMemoryMax,
} from './cgroup-stats.parser.js';
import type { CgroupDir, ContainerSources } from './container.discovery.js';

// Every container's files are read one after another through this one buffer.
const SCRATCH = new ReadBuffer();

// v1 per-device bytes, counting the container's child cgroups; kernels without the _recursive
// file have only the container's own.
const BLKIO_FILES = [
  'blkio.throttle.io_service_bytes_recursive',
  'blkio.throttle.io_service_bytes',
] as const;

/**
 * The cgroup files of one container, read every tick. Like ProcFile for procfs: cgroupfs text
 * is generated in memory, so one synchronous pread on a descriptor kept open is the cheapest
 * read. A container past the descriptor budget (see ContainerStatsReader) opens and closes
 * each file per read instead. Every method throws when its file cannot be read.
 */
export class ContainerCgroupFiles {
  private readonly files = new Map<string, ProcFile>();
  private blkio: string | undefined;

  constructor(
    private readonly sources: ContainerSources,
    private readonly keepOpen: boolean,
  ) {}

  /** CPU time used since the cgroup was made, in nanoseconds. */
  cpuTimeNs(): number {
    const { dir, version } = this.source('cpuTime');
    return version === 2
      ? flatField(this.read(dir, 'cpu.stat'), 'usage_usec') * 1000
      : parseCount(this.read(dir, 'cpuacct.usage'));
  }

  /** The CPU limit in cores; null when unlimited. */
  cpuLimit(): number | null {
    const { dir, version } = this.source('cpuLimit');
    return version === 2
      ? parseCpuMax(this.read(dir, 'cpu.max'))
      : cpuLimitV1(
          parseCount(this.read(dir, 'cpu.cfs_quota_us')),
          parseCount(this.read(dir, 'cpu.cfs_period_us')),
        );
  }

  /** Memory in use without inactive file pages, as `docker stats` counts it. */
  memoryUsed(): number {
    const { dir, version } = this.source('memory');
    const [usage, inactive] =
      version === 2
        ? [this.read(dir, 'memory.current'), 'inactive_file']
        : [this.read(dir, 'memory.usage_in_bytes'), 'total_inactive_file'];
    return Math.max(0, parseCount(usage) - flatField(this.read(dir, 'memory.stat'), inactive));
  }

  /** The memory limit in bytes; null when unlimited. */
  memoryLimit(): number | null {
    const { dir, version } = this.source('memory');
    return version === 2
      ? parseMemoryMax(this.read(dir, 'memory.max'))
      : memoryLimitV1(parseCount(this.read(dir, 'memory.limit_in_bytes')));
  }

  /** Bytes read from and written to block devices since the cgroup was made. */
  io(): IoBytes {
    const { dir, version } = this.source('io');
    if (version === 2) {
      return parseIoStat(this.read(dir, 'io.stat'));
    }
    if (this.blkio !== undefined) {
      return parseBlkioBytes(this.read(dir, this.blkio));
    }
    for (const name of BLKIO_FILES) {
      try {
        const bytes = parseBlkioBytes(this.read(dir, name));
        this.blkio = name;
        return bytes;
      } catch {
        // Try the next one; if none is readable the figure is null.
      }
    }
    throw new Error(`no blkio.throttle file in ${dir}`);
  }

  /** Processes and threads in the cgroup. */
  pids(): number {
    const { dir } = this.source('pids');
    return parseCount(this.read(dir, 'pids.current'));
  }

  close(): void {
    this.files.forEach((file) => file.close());
    this.files.clear();
  }

  private source(figure: Exclude<keyof ContainerSources, 'home'>): CgroupDir {
    const source = this.sources[figure];
    if (!source) {
      throw new Error(`no cgroup controller for ${figure}`);
    }
    return source;
  }

  private read(dir: string, name: string): string {
    const path = join(dir, name);
    let file = this.files.get(path);
    if (!file) {
      file = new ProcFile(path, SCRATCH);
      if (this.keepOpen) {
        this.files.set(path, file);
      }
    }
    try {
      return file.read();
    } finally {
      if (!this.keepOpen) {
        file.close();
      }
    }
  }
}
