/** Block-device I/O summed over the physical disks (partitions, loop, RAM and device-mapper devices left out), per second over the last tick; null until two readings exist or after a counter reset. */
export class DiskIoDto {
  readBytesPerSec!: number | null;
  writeBytesPerSec!: number | null;
  readOpsPerSec!: number | null;
  writeOpsPerSec!: number | null;
}
