/** The cost of vitals itself. */
export class SelfStatsDto {
  /** CPU use of the vitals process over the last tick, in percent of one core. */
  cpu!: number;
  /** Resident set size of the vitals process in bytes. */
  rss!: number;
  /** Event-loop delay over the last tick (99th percentile), in milliseconds. */
  eventLoopLagMs!: number;
  /** Open streams. */
  subscribers!: number;
}
