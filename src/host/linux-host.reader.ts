import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { type CgroupPaths, readContainer } from './cgroup.reader.js';
import { ProcFile } from './proc-file.js';
import { VIRTUAL_DISK, findCpuSensor, findPhysicalDisks } from './sysfs.probe.js';
import { ProcessTableReader } from './process-table.reader.js';
import type { ProcessesDto } from '../hub/dto/processes.dto.js';
import type { ContainerDto } from '../hub/dto/container.dto.js';
import type { ContainerStatsDto } from '../hub/dto/container-stats.dto.js';
import type { HostContainersReader } from './containers/host-containers.reader.js';
import type { HostGpusReader } from './gpus/host-gpus.reader.js';
import type { GpuStatsDto } from '../hub/dto/gpu-stats.dto.js';
import { withGpuMemory } from './gpus/gpu-process-memory.js';
import type { CpuStatsDto } from '../hub/dto/cpu-stats.dto.js';
import type { DiskIoDto } from '../hub/dto/disk-io.dto.js';
import type { DiskUsageDto } from '../hub/dto/disk-usage.dto.js';
import type { MemoryStatsDto } from '../hub/dto/memory-stats.dto.js';
import type { NetworkInterfaceDto } from '../hub/dto/network-interface.dto.js';
import type { SensorsDto } from '../hub/dto/sensors.dto.js';
import type { HostReader } from './host-reader.js';
import { diskIoRates, networkRates } from './procfs.rates.js';
import {
  type CpuTimes,
  type DiskCounters,
  type InterfaceCounters,
  cpuShares,
  memoryFromMemInfo,
  parseDiskStats,
  parseLoadAvg,
  parseMemInfo,
  parseNetDev,
  parseProcStat,
  parseUptime,
} from './procfs.parser.js';

export interface LinuxHostPaths extends CgroupPaths {
  /** The host's procfs (VITALS_PROCFS). */
  procfs: string;
  /** The host's sysfs (VITALS_SYSFS). */
  sysfs: string;
  /**
   * The interface counters, relative to procfs; `net/dev` by default. `<procfs>/net` is a link
   * to `self/net`, the namespace of the process reading it, so a container reading a host's
   * procfs names `1/net/dev` (the host init's namespace) to see the host's interfaces.
   */
  netDev?: string;
}

/** Milliseconds on a monotonic clock; tests pass a fake one to make rates exact. */
export type Clock = () => number;

interface Reading<T> {
  value: T;
  at: number;
}

// The shortest window rates are computed over: with 100 clock ticks a second per core, anything
// shorter is mostly rounding. Only the first reading after startup is ever that close.
const MIN_WINDOW_MS = 100;

// Runs a synchronous read as a promise, so that a throw becomes that group's rejection.
const settle = <T>(read: () => T): Promise<T> => new Promise((resolve) => resolve(read()));
const attempt = <T>(read: () => T): T | undefined => {
  try {
    return read();
  } catch {
    return undefined;
  }
};

/**
 * The host on Linux, read from procfs and sysfs without forking: CPU shares, network and disk
 * rates are deltas between this reading and the previous one. The first readings are taken by
 * init(), so the first sample describes a short window rather than the time since boot. Only
 * the filesystems come from elsewhere (systeminformation's `df`).
 */
export class LinuxHostReader implements HostReader, OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(LinuxHostReader.name);
  private cpu?: Reading<CpuTimes[]>;
  private previousCpu?: CpuStatsDto;
  private network?: Reading<InterfaceCounters[]>;
  private disks?: Reading<DiskCounters[]>;
  private physicalDisks?: Set<string>;
  private sensorPath?: string | null;
  // Files read every tick stay open: one pread each instead of open/fstat/read/close.
  private readonly files = new Map<string, ProcFile>();
  private readonly processTable: ProcessTableReader;

  constructor(
    private readonly paths: LinuxHostPaths,
    private readonly filesystems: Pick<HostReader, 'readDisks'>,
    private readonly now: Clock = () => performance.now(),
    private readonly containers?: Pick<HostContainersReader, 'start' | 'read' | 'stop'>,
    private readonly gpus?: Pick<HostGpusReader, 'start' | 'read' | 'processMemory' | 'stop'>,
  ) {
    this.processTable = new ProcessTableReader(paths.procfs, now);
  }

  /** Checks that procfs is one, takes the first readings and says where the host is read from. */
  async onModuleInit(): Promise<void> {
    const { procfs, sysfs, netDev = 'net/dev' } = this.paths;
    const stat = join(procfs, 'stat');
    try {
      await access(stat);
    } catch {
      throw new Error(`Cannot read ${stat}: VITALS_PROCFS must point at a procfs mount`);
    }
    await this.init();
    this.logger.log(
      `Reading the host from ${procfs} and ${sysfs} (interfaces from ${join(procfs, netDev)})` +
        (this.sensorPath ? '' : '; no CPU temperature sensor found'),
    );
  }

  async onModuleDestroy(): Promise<void> {
    this.close();
    await Promise.all([this.containers?.stop(), this.gpus?.stop()]);
  }

  async init(): Promise<void> {
    this.physicalDisks = await findPhysicalDisks(this.paths.sysfs);
    this.sensorPath = await findCpuSensor(this.paths.sysfs);
    // A baseline that cannot be read is left out: that group's own read fails (and reads null)
    // each tick until it can be read, rather than the whole service failing to start.
    this.cpu = attempt(() => this.readCpuTimes());
    this.network = attempt(() => this.readNetCounters());
    this.disks = attempt(() => this.readDiskCounters());
    // The baseline of every process's CPU time, so the first table has CPU shares.
    await this.processTable.read(0, 0);
    await Promise.all([this.containers?.start(), this.gpus?.start()]);
  }

  async readCpu(): Promise<CpuStatsDto> {
    const before = this.cpu ?? this.readCpuTimes();
    await this.waitForWindow(before.at);
    const after = this.readCpuTimes();
    const loadText = this.proc('loadavg');
    const [totalBefore, ...coresBefore] = before.value;
    const [totalAfter, ...coresAfter] = after.value;
    const total = totalBefore && totalAfter ? cpuShares(totalBefore, totalAfter) : null;
    if (!total) {
      // Two reads within one clock tick: nothing new to say, repeat the previous figures.
      if (this.previousCpu) {
        return this.previousCpu;
      }
      throw new Error('no CPU time elapsed between two readings of /proc/stat');
    }
    this.cpu = after;
    this.previousCpu = {
      ...total,
      cores: coresAfter.map((core, index) => {
        const previous = coresBefore[index];
        return previous ? (cpuShares(previous, core)?.usage ?? 0) : 0;
      }),
      load: parseLoadAvg(loadText),
      count: coresAfter.length,
    };
    return this.previousCpu;
  }

  readMemory(): Promise<MemoryStatsDto> {
    return settle(() => this.memory());
  }

  readDisks(): Promise<DiskUsageDto[]> {
    return this.filesystems.readDisks();
  }

  /** Process counts and the `top` busiest processes since the previous reading. */
  async readProcesses(top: number): Promise<ProcessesDto> {
    const { total } = this.memory();
    const processes = await this.processTable.read(top, total);
    return this.gpus ? withGpuMemory(processes, this.gpus.processMemory()) : processes;
  }

  readUptime(): Promise<number> {
    return settle(() => parseUptime(this.proc('uptime')));
  }

  async readNetwork(): Promise<NetworkInterfaceDto[]> {
    const before = this.network ?? this.readNetCounters();
    await this.waitForWindow(before.at);
    const after = this.readNetCounters();
    this.network = after;
    return networkRates(before.value, after.value, (after.at - before.at) / 1000);
  }

  async readDiskIo(): Promise<DiskIoDto> {
    const before = this.disks ?? this.readDiskCounters();
    await this.waitForWindow(before.at);
    const after = this.readDiskCounters();
    this.disks = after;
    return diskIoRates(before.value, after.value, (after.at - before.at) / 1000);
  }

  async readSensors(): Promise<SensorsDto> {
    if (!this.sensorPath) {
      return { cpuTempC: null };
    }
    // A fresh async read: a hwmon driver may sleep on its bus, which must not block the loop.
    const milli = Number(await readFile(this.sensorPath, 'latin1'));
    return { cpuTempC: Number.isFinite(milli) ? Math.round(milli / 100) / 10 : null };
  }

  /** Closes the files kept open between ticks. */
  close(): void {
    this.files.forEach((file) => file.close());
    this.files.clear();
  }

  readContainer(): Promise<ContainerDto> {
    return readContainer(this.paths, this.paths.procfs);
  }

  /** Every container in the host's cgroup tree; null when this reader was made without them. */
  readContainers(): Promise<ContainerStatsDto[] | null> {
    return this.containers ? this.containers.read() : Promise.resolve(null);
  }

  readGpus(): Promise<GpuStatsDto[]> {
    return this.gpus ? this.gpus.read() : Promise.resolve([]);
  }

  private memory(): MemoryStatsDto {
    return memoryFromMemInfo(parseMemInfo(this.proc('meminfo')));
  }

  private proc(name: string): string {
    let file = this.files.get(name);
    if (!file) {
      file = new ProcFile(join(this.paths.procfs, name));
      this.files.set(name, file);
    }
    return file.read();
  }

  private async waitForWindow(since: number): Promise<void> {
    const wait = MIN_WINDOW_MS - (this.now() - since);
    if (wait > 0) {
      await sleep(wait);
    }
  }

  private readCpuTimes(): Reading<CpuTimes[]> {
    return { value: parseProcStat(this.proc('stat')), at: this.now() };
  }

  private readNetCounters(): Reading<InterfaceCounters[]> {
    return { value: parseNetDev(this.proc(this.paths.netDev ?? 'net/dev')), at: this.now() };
  }

  private readDiskCounters(): Reading<DiskCounters[]> {
    const disks = parseDiskStats(this.proc('diskstats'));
    const physical = this.physicalDisks;
    return {
      value: disks.filter((disk) =>
        physical ? physical.has(disk.device) : !VIRTUAL_DISK.test(disk.device),
      ),
      at: this.now(),
    };
  }
}
