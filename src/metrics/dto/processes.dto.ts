import { ProcessInfoDto } from './process-info.dto.js';

/** Process counts and the busiest processes (refreshed every VITALS_PROCESSES_INTERVAL_MS). */
export class ProcessesDto {
  /** All processes. */
  total!: number;
  /** Processes running or runnable. */
  running!: number;
  /** The top VITALS_TOP_PROCESSES processes by CPU, busiest first. */
  top!: ProcessInfoDto[];
}
