import type { ContainerDto } from '../../src/hub/dto/container.dto.js';
import type { ContainerStatsDto } from '../../src/hub/dto/container-stats.dto.js';
import type { CpuStatsDto } from '../../src/hub/dto/cpu-stats.dto.js';
import type { DiskIoDto } from '../../src/hub/dto/disk-io.dto.js';
import type { DiskUsageDto } from '../../src/hub/dto/disk-usage.dto.js';
import type { GpuStatsDto } from '../../src/hub/dto/gpu-stats.dto.js';
import type { MemoryStatsDto } from '../../src/hub/dto/memory-stats.dto.js';
import type { NetworkInterfaceDto } from '../../src/hub/dto/network-interface.dto.js';
import type { ProcessesDto } from '../../src/hub/dto/processes.dto.js';
import type { SensorsDto } from '../../src/hub/dto/sensors.dto.js';
import type { HostGroup } from '../../src/hub/sample.js';
import type { HostReader } from '../../src/host/host-reader.js';
import { type FullHostReading, hostReading } from './readings.js';

/**
 * Stands in for the HostReader (the HOST_READER provider) in e2e tests: deterministic readings
 * (CPU usage 7, 14, 21 … per tick), a count of reads (so a test can prove requests never
 * trigger sampling) and switches to make reads fail: all of them, or some groups'.
 */
export class FakeHostReader implements HostReader {
  /** Ticks read (cpu reads). */
  reads = 0;
  failing = false;
  /** Groups whose reads fail, the others going on. */
  readonly failingGroups = new Set<HostGroup>();
  /**
   * The containers every reading lists from now on (null: none can be read, as off Linux);
   * undefined, the default: the reading's one container.
   */
  containers: ContainerStatsDto[] | null | undefined = undefined;
  /** The GPUs every reading lists from now on; undefined, the default: the reading's one GPU. */
  gpus: GpuStatsDto[] | undefined = undefined;

  /** `cores`: how many per-core values each reading carries (large makes large frames). */
  constructor(private readonly cores = 2) {}

  readCpu(): Promise<CpuStatsDto> {
    return this.read('cpu');
  }

  readMemory(): Promise<MemoryStatsDto> {
    return this.read('memory');
  }

  readDisks(): Promise<DiskUsageDto[]> {
    return this.read('disks');
  }

  readDiskIo(): Promise<DiskIoDto> {
    return this.read('diskIo');
  }

  readNetwork(): Promise<NetworkInterfaceDto[]> {
    return this.read('network');
  }

  readProcesses(): Promise<ProcessesDto> {
    return this.read('processes');
  }

  readSensors(): Promise<SensorsDto> {
    return this.read('sensors');
  }

  readUptime(): Promise<number> {
    return this.read('uptime');
  }

  readContainer(): Promise<ContainerDto> {
    return this.read('container');
  }

  async readContainers(): Promise<ContainerStatsDto[] | null> {
    const reading = await this.read('containers');
    return this.containers === undefined ? reading : structuredClone(this.containers);
  }

  async readGpus(): Promise<GpuStatsDto[]> {
    const reading = await this.read('gpus');
    return this.gpus === undefined ? reading : structuredClone(this.gpus);
  }

  private read<G extends HostGroup>(group: G): Promise<FullHostReading[G]> {
    if (this.failing || this.failingGroups.has(group)) {
      return Promise.reject(new Error('simulated host read failure'));
    }
    if (group === 'cpu') {
      this.reads++;
    }
    const reading = hostReading((this.reads * 7) % 100);
    if (this.cores !== reading.cpu.cores.length) {
      reading.cpu.cores = new Array<number>(this.cores).fill(reading.cpu.usage);
      reading.cpu.count = this.cores;
    }
    return Promise.resolve(reading[group]);
  }
}
