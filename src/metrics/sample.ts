import type { CpuStatsDto } from './dto/cpu-stats.dto.js';
import type { MemoryStatsDto } from './dto/memory-stats.dto.js';

/** Every group the host reader delivers for one tick. */
export interface HostReading {
  cpu: CpuStatsDto;
  memory: MemoryStatsDto;
}

/** A reading stamped by the sampler, before the hub gives it an id. */
export interface SampleReading extends HostReading {
  timestamp: string;
  host: string;
}

/** A published sample: every group present. */
export interface Sample extends SampleReading {
  id: number;
}
