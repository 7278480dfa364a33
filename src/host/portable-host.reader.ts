import { loadavg, uptime } from 'node:os';
import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import si from 'systeminformation';
import type { ContainerDto } from '../hub/dto/container.dto.js';
import type { CpuStatsDto } from '../hub/dto/cpu-stats.dto.js';
import type { DiskIoDto } from '../hub/dto/disk-io.dto.js';
import type { DiskUsageDto } from '../hub/dto/disk-usage.dto.js';
import type { GpuStatsDto } from '../hub/dto/gpu-stats.dto.js';
import type { MemoryStatsDto } from '../hub/dto/memory-stats.dto.js';
import type { NetworkInterfaceDto } from '../hub/dto/network-interface.dto.js';
import type { ProcessesDto } from '../hub/dto/processes.dto.js';
import type { SensorsDto } from '../hub/dto/sensors.dto.js';
import type { HostReader } from './host-reader.js';
import type { HostGpusReader } from './gpus/host-gpus.reader.js';
import { withGpuMemory } from './gpus/gpu-process-memory.js';
import { toCpuTemperature, toDiskUsage, toProcesses } from './systeminformation.mapper.js';

const round2 = (value: number): number => Math.round(value * 100) / 100;
const orNull = (value: number | null | undefined): number | null =>
  value === null || value === undefined || !Number.isFinite(value) ? null : round2(value);

/**
 * The host through systeminformation, on any platform: the reader everywhere but Linux, and the
 * only importer of the library (LinuxHostReader asks it for the filesystems). It forks child
 * processes for most groups, synchronously for CPU, and reports no iowait.
 */
@Injectable()
export class PortableHostReader implements HostReader, OnModuleInit, OnModuleDestroy {
  private gpus?: HostGpusReader;

  /** Reads GPUs through `gpus` (started and stopped with this reader) when it is the host reader. */
  attachGpus(gpus: HostGpusReader): this {
    this.gpus = gpus;
    return this;
  }

  async onModuleInit(): Promise<void> {
    await this.gpus?.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.gpus?.stop();
  }

  async readCpu(): Promise<CpuStatsDto> {
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

  async readMemory(): Promise<MemoryStatsDto> {
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

  async readDisks(): Promise<DiskUsageDto[]> {
    return toDiskUsage(await si.fsSize());
  }

  async readDiskIo(): Promise<DiskIoDto> {
    const [bytes, ops] = await Promise.all([si.fsStats(), si.disksIO()]);
    return {
      readBytesPerSec: orNull(bytes.rx_sec),
      writeBytesPerSec: orNull(bytes.wx_sec),
      readOpsPerSec: orNull(ops.rIO_sec),
      writeOpsPerSec: orNull(ops.wIO_sec),
    };
  }

  async readNetwork(): Promise<NetworkInterfaceDto[]> {
    const stats = await si.networkStats('*');
    return stats
      .filter((iface) => !/^(lo|lo0)$/.test(iface.iface))
      .map((iface) => ({
        iface: iface.iface,
        rxBytesPerSec: orNull(iface.rx_sec),
        txBytesPerSec: orNull(iface.tx_sec),
      }));
  }

  async readProcesses(top: number): Promise<ProcessesDto> {
    const processes = toProcesses(await si.processes(), top);
    return this.gpus ? withGpuMemory(processes, this.gpus.processMemory()) : processes;
  }

  async readSensors(): Promise<SensorsDto> {
    return { cpuTempC: toCpuTemperature(await si.cpuTemperature()) };
  }

  readUptime(): Promise<number> {
    // As a promise, so that a throw becomes this group's rejection.
    return new Promise((resolve) => resolve(Math.round(uptime())));
  }

  readContainer(): Promise<ContainerDto> {
    return Promise.resolve({
      inContainer: false,
      cgroup: null,
      memoryLimit: null,
      cpuLimit: null,
      hostProc: true,
    });
  }

  // Containers are found in Linux's cgroup tree; elsewhere there is no such tree to read.
  readContainers(): Promise<null> {
    return Promise.resolve(null);
  }

  readGpus(): Promise<GpuStatsDto[]> {
    return this.gpus ? this.gpus.read() : Promise.resolve([]);
  }
}
