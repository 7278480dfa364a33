import { IsOptional, IsString } from 'class-validator';
import { IsFiniteNumber } from '../../common/dto/schema-decorators.js';

/** One process among the busiest. */
export class ProcessInfoDto {
  @IsFiniteNumber()
  pid!: number;
  /** Command name. */
  @IsString()
  name!: string;
  /** CPU use in percent of one core. */
  @IsFiniteNumber()
  cpu!: number;
  /** Share of physical memory, in percent. */
  @IsFiniteNumber()
  memory!: number;
  /** Resident set size in bytes. */
  @IsFiniteNumber()
  rss!: number;
  /**
   * Bytes of NVIDIA GPU memory it holds, on all GPUs (nvidia-smi's compute apps, read at this
   * table's cadence); absent when it holds none or none can be read.
   */
  @IsOptional()
  @IsFiniteNumber()
  gpuMemory?: number;
}
