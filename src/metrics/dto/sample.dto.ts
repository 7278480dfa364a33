import { ApiProperty } from '@nestjs/swagger';
import { ContainerDto } from './container.dto.js';
import { CpuStatsDto } from './cpu-stats.dto.js';
import { DiskIoDto } from './disk-io.dto.js';
import { DiskUsageDto } from './disk-usage.dto.js';
import { MemoryStatsDto } from './memory-stats.dto.js';
import { NetworkInterfaceDto } from './network-interface.dto.js';
import { ProcessesDto } from './processes.dto.js';
import { SelfStatsDto } from './self-stats.dto.js';
import { SensorsDto } from './sensors.dto.js';

/**
 * One reading of the host, as sent on the stream and by the REST snapshot. Every group is present
 * unless `groups=` leaves it out; a value the host cannot provide is null, never a made-up 0.
 */
export class SampleDto {
  /**
   * The event id: strictly increasing, also across restarts. A number when the sample was taken
   * by this process; on a gateway, the Redis Stream entry id (a string such as `1795524273660-0`).
   */
  @ApiProperty({
    oneOf: [{ type: 'integer' }, { type: 'string', pattern: '^\\d+-\\d+$' }],
    example: 1795524273660,
  })
  id!: number | string;
  /** When the sample was taken (ISO 8601, UTC). */
  timestamp!: string;
  /** The host the sample describes (VITALS_HOST_NAME). */
  host!: string;
  /** CPU shares over the last tick, per core, load averages. */
  cpu?: CpuStatsDto;
  /** Memory and swap. */
  memory?: MemoryStatsDto;
  /** Mounted filesystems (refreshed every VITALS_DISKS_INTERVAL_MS); null until read once. */
  disks?: DiskUsageDto[] | null;
  /** Disk I/O rates. */
  diskIo?: DiskIoDto;
  /** Per-interface network rates. */
  network?: NetworkInterfaceDto[];
  /** Process counts and the busiest processes; null until read once. */
  processes?: ProcessesDto | null;
  /** Temperatures. */
  sensors?: SensorsDto;
  /** Seconds since the host booted. */
  uptime?: number;
  /** Container detection and limits (refreshed with the disks). */
  container?: ContainerDto;
  /** vitals' own cost. */
  self?: SelfStatsDto;
}
