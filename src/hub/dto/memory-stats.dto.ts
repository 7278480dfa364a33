import { IsFiniteNumber, Nullable } from '../../common/dto/schema-decorators.js';

/** Physical memory and swap, in bytes. */
export class MemoryStatsDto {
  /** Installed memory visible to the kernel. */
  @IsFiniteNumber()
  total!: number;
  /** total - available: memory that cannot be reclaimed without swapping. */
  @IsFiniteNumber()
  used!: number;
  /** Memory available to new work without swapping (MemAvailable). */
  @IsFiniteNumber()
  available!: number;
  /** used / total, in percent (0–100). */
  @IsFiniteNumber()
  usage!: number;
  /** Swap space configured. */
  @IsFiniteNumber()
  swapTotal!: number;
  /** Swap space in use. */
  @IsFiniteNumber()
  swapUsed!: number;
  /** swapUsed / swapTotal in percent (0–100); null when there is no swap. */
  @Nullable()
  @IsFiniteNumber()
  swapUsage!: number | null;
}
