import type { EventIdValue } from './event-id.js';
import type { ContainerDto } from './dto/container.dto.js';
import type { ContainerStatsDto } from './dto/container-stats.dto.js';
import type { GpuStatsDto } from './dto/gpu-stats.dto.js';
import type { CpuStatsDto } from './dto/cpu-stats.dto.js';
import type { DiskIoDto } from './dto/disk-io.dto.js';
import type { DiskUsageDto } from './dto/disk-usage.dto.js';
import type { MemoryStatsDto } from './dto/memory-stats.dto.js';
import type { NetworkInterfaceDto } from './dto/network-interface.dto.js';
import type { ProcessesDto } from './dto/processes.dto.js';
import type { SelfStatsDto } from './dto/self-stats.dto.js';
import type { SensorsDto } from './dto/sensors.dto.js';

/**
 * Every group the host reader delivers. A group is null when the host cannot provide it: its
 * read failed this tick (per-tick groups), or it has not been read successfully yet (slow
 * groups, which otherwise carry their last value).
 */
export interface HostReading {
  cpu: CpuStatsDto | null;
  memory: MemoryStatsDto | null;
  /** null until the filesystems could be read once. */
  disks: DiskUsageDto[] | null;
  diskIo: DiskIoDto | null;
  network: NetworkInterfaceDto[] | null;
  /** null until the process table could be read once. */
  processes: ProcessesDto | null;
  sensors: SensorsDto | null;
  uptime: number | null;
  /** null until the container facts could be read once. */
  container: ContainerDto | null;
  /** Every container on the host; [] when none, null where cgroups cannot be read (not Linux). */
  containers: ContainerStatsDto[] | null;
  /** Every GPU on the host; [] when none. */
  gpus: GpuStatsDto[] | null;
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
