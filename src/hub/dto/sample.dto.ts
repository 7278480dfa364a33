import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsISO8601,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  ValidateNested,
} from 'class-validator';
import { IsEventIdValue, IsFiniteNumber } from '../../common/dto/schema-decorators.js';
import { ContainerDto } from './container.dto.js';
import { ContainerStatsDto } from './container-stats.dto.js';
import { GpuStatsDto } from './gpu-stats.dto.js';
import { CpuStatsDto } from './cpu-stats.dto.js';
import { DiskIoDto } from './disk-io.dto.js';
import { DiskUsageDto } from './disk-usage.dto.js';
import { MemoryStatsDto } from './memory-stats.dto.js';
import { NetworkInterfaceDto } from './network-interface.dto.js';
import { ProcessesDto } from './processes.dto.js';
import { SelfStatsDto } from './self-stats.dto.js';
import { SensorsDto } from './sensors.dto.js';

// A group is an object (@IsObject: @ValidateNested alone passes an array of valid objects), or
// null when the host cannot provide it, or absent when `groups=` leaves it out.

/**
 * One reading of the host, as sent on the stream and by the REST snapshot. Every group is present
 * unless `groups=` leaves it out; a group or value the host cannot provide is null, never a
 * made-up 0. A gateway checks every sample an agent sends against this schema.
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
  @IsEventIdValue()
  id!: number | string;
  /** When the sample was taken (ISO 8601, UTC). */
  @IsISO8601({ strict: true })
  timestamp!: string;
  /** The host the sample describes (VITALS_HOST_NAME). */
  @IsString()
  @IsNotEmpty()
  host!: string;
  /** CPU shares over the last tick, per core, load averages; null when unreadable. */
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => CpuStatsDto)
  cpu?: CpuStatsDto | null;
  /** Memory and swap; null when unreadable. */
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => MemoryStatsDto)
  memory?: MemoryStatsDto | null;
  /** Mounted filesystems (refreshed every VITALS_DISKS_INTERVAL_MS); null until read once. */
  @IsOptional()
  @IsArray()
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => DiskUsageDto)
  disks?: DiskUsageDto[] | null;
  /** Disk I/O rates; null when unreadable. */
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => DiskIoDto)
  diskIo?: DiskIoDto | null;
  /** Per-interface network rates; null when unreadable. */
  @IsOptional()
  @IsArray()
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => NetworkInterfaceDto)
  network?: NetworkInterfaceDto[] | null;
  /** Process counts and the busiest processes; null until read once. */
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ProcessesDto)
  processes?: ProcessesDto | null;
  /** Temperatures; null when unreadable. */
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => SensorsDto)
  sensors?: SensorsDto | null;
  /** Seconds since the host booted; null when unreadable. */
  @IsOptional()
  @IsFiniteNumber()
  uptime?: number | null;
  /** Container detection and limits (refreshed with the disks); null until read once. */
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ContainerDto)
  container?: ContainerDto | null;
  /** Every container on the host, by id; [] when none; null where cgroups cannot be read. */
  @IsOptional()
  @IsArray()
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => ContainerStatsDto)
  containers?: ContainerStatsDto[] | null;
  /** Every GPU on the host (NVIDIA, AMD, Intel); [] when none. */
  @IsOptional()
  @IsArray()
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => GpuStatsDto)
  gpus?: GpuStatsDto[] | null;
  /** vitals' own cost. */
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => SelfStatsDto)
  self?: SelfStatsDto | null;
}
