import { IsArray } from 'class-validator';
import { IsFiniteNumber, Nullable } from '../../common/dto/schema-decorators.js';

/** CPU time shares over the last tick, in percent of all cores (0–100). */
export class CpuStatsDto {
  /** Busy share: everything but idle and iowait. */
  @IsFiniteNumber()
  usage!: number;
  /** User space, including nice. */
  @IsFiniteNumber()
  user!: number;
  /** Kernel, including hard and soft interrupts. */
  @IsFiniteNumber()
  system!: number;
  /** Idle while waiting for I/O; null where the platform does not report it. */
  @Nullable()
  @IsFiniteNumber()
  iowait!: number | null;
  /** Stolen by the hypervisor; null where the platform does not report it. */
  @Nullable()
  @IsFiniteNumber()
  steal!: number | null;
  /** Idle share. */
  @IsFiniteNumber()
  idle!: number;
  /** Busy share of each logical core, in core order. */
  @IsArray()
  @IsFiniteNumber({ each: true })
  cores!: number[];
  /** Load averages over 1, 5 and 15 minutes; null where the platform has none (Windows). */
  @Nullable()
  @IsArray()
  @IsFiniteNumber({ each: true })
  load!: number[] | null;
  /** Number of logical cores. */
  @IsFiniteNumber()
  count!: number;
}
