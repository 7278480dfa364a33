import { access } from 'node:fs/promises';
import { loadavg, uptime } from 'node:os';
import { join, resolve } from 'node:path';
import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import si from 'systeminformation';
import { samplerConfig } from '../config/sampler.config.js';
import type { CpuStatsDto } from '../hub/dto/cpu-stats.dto.js';
import type { DiskIoDto } from '../hub/dto/disk-io.dto.js';
import type { DiskUsageDto } from '../hub/dto/disk-usage.dto.js';
import type { MemoryStatsDto } from '../hub/dto/memory-stats.dto.js';
import type { NetworkInterfaceDto } from '../hub/dto/network-interface.dto.js';
import type { ProcessesDto } from '../hub/dto/processes.dto.js';
import { LinuxHostReader } from './linux-host.reader.js';
import type { HostGroup, HostReading } from '../hub/sample.js';
import type { SensorsDto } from '../hub/dto/sensors.dto.js';
import { toCpuTemperature, toDiskUsage, toProcesses } from './systeminformation.mapper.js';

// Runs a synchronous read as a promise, so that a throw becomes that group's rejection.
const settle = <T>(read: () => T): Promise<T> => new Promise((resolve) => resolve(read()));
const round2 = (value: number): number => Math.round(value * 100) / 100;
const orNull = (value: number | null | undefined): number | null =>
  value === null || value === undefined || !Number.isFinite(value) ? null : round2(value);

/**
 * The only place that reads the host. On Linux the per-tick groups come from procfs and sysfs
 * (LinuxHostReader): systeminformation forks processes for most of them, synchronously for CPU,
 * and has no iowait. systeminformation serves the slow groups (filesystems, processes) and every
 * group on other platforms.
 */
@Injectable()
export class SystemInfoClient implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(SystemInfoClient.name);
  private linux?: LinuxHostReader;

  constructor(
    @Inject(samplerConfig.KEY) private readonly config: ConfigType<typeof samplerConfig>,
  ) {}

  async onModuleInit(): Promise<void> {
    if (process.platform !== 'linux') {
      this.logger.log(`Reading the host through systeminformation on ${process.platform}`);
      return;
    }
    const stat = join(this.config.procfs, 'stat');
    try {
      await access(stat);
    } catch {
      throw new Error(`Cannot read ${stat}: VITALS_PROCFS must point at a procfs mount`);
    }
    // Another procfs than this process's own is a host's, mounted into a container: its
    // `net` is this process's namespace (a link to self/net), `1/net` the host's.
    const netDev = resolve(this.config.procfs) === '/proc' ? 'net/dev' : '1/net/dev';
    this.linux = new LinuxHostReader({
      procfs: this.config.procfs,
      sysfs: this.config.sysfs,
      netDev,
      // The container facts are about vitals' own process, so they come from its own /proc.
      selfProc: '/proc',
      cgroupRoot: '/sys/fs/cgroup',
      root: '/',
    });
    await this.linux.init();
    this.logger.log(
      `Reading the host from ${this.config.procfs} and ${this.config.sysfs}` +
        ` (interfaces from ${join(this.config.procfs, netDev)})` +
        (this.linux.hasSensor ? '' : '; no CPU temperature sensor found'),
    );
  }

  onModuleDestroy(): void {
    this.linux?.close();
  }

  /** Reads `groups` concurrently; rejects if any of them cannot be read. */
  async read(groups: readonly HostGroup[]): Promise<Partial<HostReading>> {
    const values = await Promise.all(groups.map((group) => this.readGroup(group)));
    return Object.fromEntries(groups.map((group, index) => [group, values[index]]));
  }

  private readGroup(group: HostGroup): Promise<HostReading[HostGroup]> {
    const linux = this.linux;
    switch (group) {
      case 'cpu':
        return linux ? linux.readCpu() : this.readPortableCpu();
      case 'memory':
        return linux ? settle(() => linux.readMemory()) : this.readPortableMemory();
      case 'diskIo':
        return linux ? linux.readDiskIo() : this.readPortableDiskIo();
      case 'network':
        return linux ? linux.readNetwork() : this.readPortableNetwork();
      case 'uptime':
        return settle(() => (linux ? linux.readUptime() : Math.round(uptime())));
      case 'sensors':
        return linux ? linux.readSensors() : this.readPortableSensors();
      case 'container':
        return linux
          ? linux.readContainer()
          : Promise.resolve({
              inContainer: false,
              cgroup: null,
              memoryLimit: null,
              cpuLimit: null,
              hostProc: true,
            });
      case 'disks':
        return this.readDisks();
      case 'processes':
        return linux ? linux.readProcesses(this.config.topProcesses) : this.readProcesses();
    }
  }

  private async readDisks(): Promise<DiskUsageDto[]> {
    return toDiskUsage(await si.fsSize());
  }

  private async readProcesses(): Promise<ProcessesDto> {
    return toProcesses(await si.processes(), this.config.topProcesses);
  }

  private async readPortableCpu(): Promise<CpuStatsDto> {
    const load = await si.currentLoad();
    return {
      usage: round2(load.currentLoad),
      user: round2(load.currentLoadUser + load.currentLoadNice),
      system: round2(load.currentLoadSystem + load.currentLoadIrq),
      // systeminformation reports no iowait, and steal only on Linux, which reads procfs.
      iowait: null,
      steal: null,
      idle: round2(load.currentLoadIdle),
      cores: load.cpus.map((core) => round2(core.load)),
      load: process.platform === 'win32' ? null : loadavg().map(round2),
      count: load.cpus.length,
    };
  }

  private async readPortableMemory(): Promise<MemoryStatsDto> {
    const mem = await si.mem();
    const used = mem.total - mem.available;
    return {
      total: mem.total,
      used,
      available: mem.available,
      usage: round2((used / mem.total) * 100),
      swapTotal: mem.swaptotal,
      swapUsed: mem.swapused,
      swapUsage: mem.swaptotal > 0 ? round2((mem.swapused / mem.swaptotal) * 100) : null,
    };
  }

  private async readPortableDiskIo(): Promise<DiskIoDto> {
    const [bytes, ops] = await Promise.all([si.fsStats(), si.disksIO()]);
    return {
      readBytesPerSec: orNull(bytes.rx_sec),
      writeBytesPerSec: orNull(bytes.wx_sec),
      readOpsPerSec: orNull(ops.rIO_sec),
      writeOpsPerSec: orNull(ops.wIO_sec),
    };
  }

  private async readPortableNetwork(): Promise<NetworkInterfaceDto[]> {
    const stats = await si.networkStats('*');
    return stats
      .filter((iface) => !/^(lo|lo0)$/.test(iface.iface))
      .map((iface) => ({
        iface: iface.iface,
        rxBytesPerSec: orNull(iface.rx_sec),
        txBytesPerSec: orNull(iface.tx_sec),
      }));
  }

  private async readPortableSensors(): Promise<SensorsDto> {
    return { cpuTempC: toCpuTemperature(await si.cpuTemperature()) };
  }
}
