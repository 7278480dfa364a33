import { CpuStatsDto } from './cpu-stats.dto.js';
import { MemoryStatsDto } from './memory-stats.dto.js';

/** One reading of the host, as sent on the stream and by the REST snapshot. */
export class SampleDto {
  /** The stream's sequence number: strictly increasing, also across restarts. */
  id!: number;
  /** When the sample was taken (ISO 8601, UTC). */
  timestamp!: string;
  /** The host the sample describes (VITALS_HOST_NAME). */
  host!: string;
  /** CPU group; absent when `groups=` leaves it out. */
  cpu?: CpuStatsDto;
  /** Memory group; absent when `groups=` leaves it out. */
  memory?: MemoryStatsDto;
}
