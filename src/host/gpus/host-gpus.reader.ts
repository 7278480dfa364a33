import { Logger } from '@nestjs/common';
import type { GpuStatsDto } from '../../hub/dto/gpu-stats.dto.js';
import { DrmGpusReader } from './drm-gpus.reader.js';
import { NvidiaGpusReader } from './nvidia-gpus.reader.js';

/** Where the host's GPUs are read from. */
export interface HostGpusConfig {
  /** The host's sysfs (VITALS_SYSFS) for AMD and Intel GPUs; null off Linux. */
  sysfs: string | null;
  /** VITALS_NVIDIA_SMI: a command on PATH, an absolute path, or `off`. */
  nvidiaSmi: string;
  /** The sampler's tick: nvidia-smi reports at this pace. */
  intervalMs: number;
  /** The process table's cadence: which processes use a GPU is read at this pace. */
  processesIntervalMs: number;
}

/**
 * The `gpus` group: NVIDIA GPUs from one long-running nvidia-smi child, AMD and Intel GPUs from
 * sysfs. NVIDIA GPUs keep nvidia-smi's index; the others are numbered after them, so that
 * `gpu="0"` means what `nvidia-smi -i 0` means on the common NVIDIA-only host. Nothing here
 * forks per tick.
 */
export class HostGpusReader {
  private readonly logger = new Logger(HostGpusReader.name);
  private readonly nvidia?: NvidiaGpusReader;
  private readonly drm?: DrmGpusReader;
  // The NVIDIA GPUs ever seen: a GPU off the bus must not renumber the AMD and Intel ones.
  private nvidiaCount = 0;

  constructor(config: HostGpusConfig) {
    if (config.nvidiaSmi !== 'off') {
      this.nvidia = new NvidiaGpusReader({
        binary: config.nvidiaSmi,
        intervalMs: config.intervalMs,
        appsIntervalMs: config.processesIntervalMs,
      });
    }
    if (config.sysfs !== null) {
      this.drm = new DrmGpusReader({ sysfs: config.sysfs });
    }
  }

  /** Finds the GPUs and waits (a few seconds at most) for nvidia-smi's first report. */
  async start(): Promise<void> {
    await Promise.all([this.nvidia?.start(), this.drm?.start()]);
    const found = await this.read();
    const vendors = ['nvidia', 'amd', 'intel'] as const;
    const counts = vendors
      .map((vendor) => [vendor, found.filter((gpu) => gpu.vendor === vendor).length] as const)
      .filter(([, count]) => count > 0)
      .map(([vendor, count]) => `${count} ${vendor}`);
    this.logger.log(counts.length ? `GPUs: ${counts.join(', ')}` : 'No GPUs found');
  }

  async read(): Promise<GpuStatsDto[]> {
    const nvidia = this.nvidia?.read() ?? [];
    for (const gpu of nvidia) {
      this.nvidiaCount = Math.max(this.nvidiaCount, gpu.index + 1);
    }
    const others = this.drm ? await this.drm.read(this.nvidiaCount) : [];
    return nvidia.length === 0 ? others : [...nvidia, ...others];
  }

  /** pid → bytes of NVIDIA GPU memory it holds. */
  processMemory(): ReadonlyMap<number, number> {
    return this.nvidia?.processMemory() ?? new Map<number, number>();
  }

  async stop(): Promise<void> {
    await this.nvidia?.stop();
  }
}
