import { performance } from 'node:perf_hooks';
import type { ContainerRuntime, ContainerStatsDto } from '../../hub/dto/container-stats.dto.js';
import { ContainerDiscovery } from './container.discovery.js';
import { ContainerStatsReader } from './container-stats.reader.js';

/** Where the containers are read from. */
export interface ContainerCgroupsPaths {
  /** The cgroup mount: `<VITALS_SYSFS>/fs/cgroup`. */
  cgroupRoot: string;
  /** The host's procfs (VITALS_PROCFS), for the containers' network. */
  procfs: string;
}

/** What a runtime's API says about a container; undefined when it does not know it. */
export type ContainerNames = (
  id: string,
) => { name: string | null; image: string | null; runtime?: ContainerRuntime } | undefined;

export interface ContainerCgroupsOptions {
  /** How often the cgroup tree is walked again when no directory in it changed (ms). */
  rescanMs?: number;
  /** Containers whose files stay open between ticks (default: from the descriptor limit). */
  keptOpen?: number;
}

/**
 * Every container on the host, found in the cgroup tree (v2, v1 or hybrid) and read at each
 * tick without forking: what the cgroup path tells (id, runtime, pod) and the figures over the
 * last tick, sorted by id. Names and images come from a runtime's API through `names`.
 */
export class ContainerCgroupsReader {
  private readonly discovery: ContainerDiscovery;
  private readonly stats: ContainerStatsReader;

  constructor(
    paths: ContainerCgroupsPaths,
    clock: () => number = () => performance.now(),
    options: ContainerCgroupsOptions = {},
  ) {
    this.discovery = new ContainerDiscovery(paths.cgroupRoot, clock, options.rescanMs);
    this.stats = new ContainerStatsReader(paths.procfs, clock, options.keptOpen);
  }

  /** The containers' figures since the previous read; `[]` when there are none. */
  async read(names?: ContainerNames): Promise<ContainerStatsDto[]> {
    const stats = await this.stats.read(this.discovery.containers());
    return stats.map((container) => {
      const known = names?.(container.id);
      const { id, runtime, ...figures } = container;
      return {
        id,
        name: known?.name ?? null,
        image: known?.image ?? null,
        runtime: known?.runtime ?? runtime,
        ...figures,
      };
    });
  }

  /** Closes the descriptors kept open between ticks. */
  close(): void {
    this.stats.close();
  }
}
