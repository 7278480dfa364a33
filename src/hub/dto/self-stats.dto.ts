import { IsFiniteNumber } from '../../common/dto/schema-decorators.js';

/** The cost of vitals itself. */
export class SelfStatsDto {
  /** CPU use of the vitals process over the last tick, in percent of one core. */
  @IsFiniteNumber()
  cpu!: number;
  /** Resident set size of the vitals process in bytes. */
  @IsFiniteNumber()
  rss!: number;
  /**
   * Event-loop delay over the last tick (99th percentile, probed every 250 ms), in milliseconds.
   */
  @IsFiniteNumber()
  eventLoopLagMs!: number;
  /** Open streams. */
  @IsFiniteNumber()
  subscribers!: number;
}
