import { IsString } from 'class-validator';
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
}
