import type { EventIdValue } from '../stream/event-id.js';
import type { ContainerDto } from './dto/container.dto.js';
import type { CpuStatsDto } from './dto/cpu-stats.dto.js';
import type { DiskIoDto } from './dto/disk-io.dto.js';
import type { DiskUsageDto } from './dto/disk-usage.dto.js';
import type { MemoryStatsDto } from './dto/memory-stats.dto.js';
import type { NetworkInterfaceDto } from './dto/network-interface.dto.js';
import type { ProcessesDto } from './dto/processes.dto.js';
import type { SelfStatsDto } from './dto/self-stats.dto.js';
import type { SensorsDto } from './dto/sensors.dto.js';

/** Every group the host reader delivers. */
export interface HostReading {
  cpu: CpuStatsDto;
  memory: MemoryStatsDto;
  /** null until the filesystems could be read once. */
  disks: DiskUsageDto[] | null;
  diskIo: DiskIoDto;
  network: NetworkInterfaceDto[];
  /** null until the process table could be read once. */
  processes: ProcessesDto | null;
  sensors: SensorsDto;
  uptime: number;
  container: ContainerDto;
}

export type HostGroup = keyof HostReading;

/** A reading stamped by the sampler, before the hub gives it an id. */
export interface SampleReading extends HostReading {
  timestamp: string;
  host: string;
  self: SelfStatsDto;
}

/** A published sample: every group present. */
export interface Sample extends SampleReading {
  /** A number when sampled here; a Redis Stream entry id on a gateway. */
  id: EventIdValue;
}
