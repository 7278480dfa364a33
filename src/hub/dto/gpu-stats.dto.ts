import { IsIn, IsInt, IsString, Min } from 'class-validator';
import { IsFiniteNumber, Nullable } from '../../common/dto/schema-decorators.js';

/** The GPU makers vitals reads: NVIDIA through nvidia-smi, AMD and Intel from sysfs. */
export const GPU_VENDORS = ['nvidia', 'amd', 'intel'] as const;
export type GpuVendor = (typeof GPU_VENDORS)[number];

/**
 * One GPU, as of the last tick. A figure its driver does not expose (`[N/A]`, `[Not
 * Supported]`, no such sysfs file) is null, never a made-up 0.
 */
export class GpuStatsDto {
  /**
   * Its number on this host: NVIDIA GPUs keep nvidia-smi's index (0, 1, …); AMD and Intel GPUs
   * are numbered after them, in DRM card order.
   */
  @IsInt()
  @Min(0)
  index!: number;
  /** Its product name, e.g. "NVIDIA A10". */
  @IsString()
  name!: string;
  @IsIn(GPU_VENDORS)
  vendor!: GpuVendor;
  /** How busy it was, %; null where the driver does not say (Intel without perf access). */
  @Nullable()
  @IsFiniteNumber()
  utilization!: number | null;
  /** Video memory in use, bytes. */
  @Nullable()
  @IsFiniteNumber()
  memoryUsed!: number | null;
  /** Video memory in all, bytes. */
  @Nullable()
  @IsFiniteNumber()
  memoryTotal!: number | null;
  /** `memoryUsed` as % of `memoryTotal`. */
  @Nullable()
  @IsFiniteNumber()
  memoryUsage!: number | null;
  /** Its core temperature, °C. */
  @Nullable()
  @IsFiniteNumber()
  temperatureC!: number | null;
  /** Power drawn now, watts. */
  @Nullable()
  @IsFiniteNumber()
  powerW!: number | null;
  /** The power limit it is held to, watts. */
  @Nullable()
  @IsFiniteNumber()
  powerLimitW!: number | null;
  /** Fan speed, % of its maximum. */
  @Nullable()
  @IsFiniteNumber()
  fanPercent!: number | null;
  /** Shader (SM, graphics) clock now, MHz. */
  @Nullable()
  @IsFiniteNumber()
  clockMHz!: number | null;
  /** Its highest shader clock, MHz (an addition to the contract: Intel's maximum frequency). */
  @Nullable()
  @IsFiniteNumber()
  clockMaxMHz!: number | null;
}
