import type { ContainerDto } from '../hub/dto/container.dto.js';
import type { ContainerStatsDto } from '../hub/dto/container-stats.dto.js';
import type { CpuStatsDto } from '../hub/dto/cpu-stats.dto.js';
import type { DiskIoDto } from '../hub/dto/disk-io.dto.js';
import type { DiskUsageDto } from '../hub/dto/disk-usage.dto.js';
import type { GpuStatsDto } from '../hub/dto/gpu-stats.dto.js';
import type { MemoryStatsDto } from '../hub/dto/memory-stats.dto.js';
import type { NetworkInterfaceDto } from '../hub/dto/network-interface.dto.js';
import type { ProcessesDto } from '../hub/dto/processes.dto.js';
import type { SensorsDto } from '../hub/dto/sensors.dto.js';

/** The injection token of the one HostReader, chosen for the platform by HostModule. */
export const HOST_READER = Symbol('HostReader');

/**
 * Reads the host, one group per method. Each read is on its own: a group that cannot be read
 * rejects (never throws synchronously) and says nothing about the others. Implementations:
 * LinuxHostReader (procfs and sysfs) and PortableHostReader (systeminformation).
 */
export interface HostReader {
  readCpu(): Promise<CpuStatsDto>;
  readMemory(): Promise<MemoryStatsDto>;
  /** Mounted filesystems with their usage. */
  readDisks(): Promise<DiskUsageDto[]>;
  readDiskIo(): Promise<DiskIoDto>;
  readNetwork(): Promise<NetworkInterfaceDto[]>;
  /** Process counts and the `top` busiest processes. */
  readProcesses(top: number): Promise<ProcessesDto>;
  readSensors(): Promise<SensorsDto>;
  /** Seconds since the host booted. */
  readUptime(): Promise<number>;
  /** Facts about the container vitals runs in, if any. */
  readContainer(): Promise<ContainerDto>;
  /** Every container on the host, from the cgroup tree; null where there is none to read. */
  readContainers(): Promise<ContainerStatsDto[] | null>;
  /** Every GPU: NVIDIA through nvidia-smi, AMD and Intel from sysfs; [] when none. */
  readGpus(): Promise<GpuStatsDto[]>;
}
