/** One process among the busiest. */
export class ProcessInfoDto {
  pid!: number;
  /** Command name. */
  name!: string;
  /** CPU use in percent of one core. */
  cpu!: number;
  /** Share of physical memory, in percent. */
  memory!: number;
  /** Resident set size in bytes. */
  rss!: number;
}
