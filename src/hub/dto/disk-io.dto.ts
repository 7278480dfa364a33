import { IsFiniteNumber, Nullable } from '../../common/dto/schema-decorators.js';

/** Block-device I/O summed over the physical disks (partitions, loop, RAM and device-mapper devices left out), per second over the last tick; null until two readings exist or after a counter reset. */
export class DiskIoDto {
  @Nullable()
  @IsFiniteNumber()
  readBytesPerSec!: number | null;
  @Nullable()
  @IsFiniteNumber()
  writeBytesPerSec!: number | null;
  @Nullable()
  @IsFiniteNumber()
  readOpsPerSec!: number | null;
  @Nullable()
  @IsFiniteNumber()
  writeOpsPerSec!: number | null;
}
