/** One mounted filesystem. */
export class DiskUsageDto {
  /** Where it is mounted, e.g. "/". */
  mount!: string;
  /** The device or source, e.g. "/dev/sda1". */
  fs!: string;
  /** Filesystem type, e.g. "ext4". */
  type!: string;
  /** Size in bytes. */
  size!: number;
  /** Bytes in use. */
  used!: number;
  /** Percent in use (0–100), as `df` counts it: used / (used + available to users). */
  usage!: number;
}
