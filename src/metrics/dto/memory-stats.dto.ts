/** Physical memory and swap, in bytes. */
export class MemoryStatsDto {
  /** Installed memory visible to the kernel. */
  total!: number;
  /** total - available: memory that cannot be reclaimed without swapping. */
  used!: number;
  /** Memory available to new work without swapping (MemAvailable). */
  available!: number;
  /** used / total, in percent (0–100). */
  usage!: number;
  /** Swap space configured. */
  swapTotal!: number;
  /** Swap space in use. */
  swapUsed!: number;
  /** swapUsed / swapTotal in percent (0–100); null when there is no swap. */
  swapUsage!: number | null;
}
