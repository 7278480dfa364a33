import { Type } from 'class-transformer';
import { IsArray, IsObject, ValidateNested } from 'class-validator';
import { IsFiniteNumber } from '../../common/dto/schema-decorators.js';
import { ProcessInfoDto } from './process-info.dto.js';

/** Process counts and the busiest processes (refreshed every VITALS_PROCESSES_INTERVAL_MS). */
export class ProcessesDto {
  /** All processes. */
  @IsFiniteNumber()
  total!: number;
  /** Processes running or runnable. */
  @IsFiniteNumber()
  running!: number;
  /** The top VITALS_TOP_PROCESSES processes by CPU, busiest first. */
  @IsArray()
  // Objects, not arrays of them: @ValidateNested alone would pass [[{...}]].
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => ProcessInfoDto)
  top!: ProcessInfoDto[];
}
