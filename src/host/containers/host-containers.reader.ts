import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ContainerStatsDto } from '../../hub/dto/container-stats.dto.js';
import { ContainerCgroupsReader } from './container-cgroups.reader.js';
import { DockerContainerDirectory } from './docker-container.directory.js';
import { dockerSocketPath } from './docker-socket.js';

/** Where the host's containers are read from. */
export interface HostContainersConfig {
  /** The host's procfs (VITALS_PROCFS). */
  procfs: string;
  /** The host's sysfs (VITALS_SYSFS): its cgroup tree is `<sysfs>/fs/cgroup`. */
  sysfs: string;
  /** VITALS_DOCKER_SOCKET: a path, `off`, or undefined for the default when it exists. */
  dockerSocket: string | undefined;
}

/**
 * The `containers` group on Linux: every container in the host's cgroup tree, read each tick,
 * named by the Docker or Podman API when a socket is there (followed on change, never per tick).
 */
export class HostContainersReader {
  private readonly cgroups: ContainerCgroupsReader;
  private readonly directory: DockerContainerDirectory;

  constructor(config: HostContainersConfig, clock: () => number = () => performance.now()) {
    const { procfs, sysfs, dockerSocket } = config;
    this.cgroups = new ContainerCgroupsReader(
      { cgroupRoot: join(sysfs, 'fs', 'cgroup'), procfs },
      clock,
    );
    this.directory = new DockerContainerDirectory(dockerSocketPath(dockerSocket));
  }

  /** Reads the names once (waiting a few timeouts at most) and takes the first readings. */
  async start(): Promise<void> {
    await this.directory.start();
    // The baseline: the first sample then has rates, not nulls.
    await this.cgroups.read();
  }

  read(): Promise<ContainerStatsDto[]> {
    return this.cgroups.read((id) => this.directory.lookup(id));
  }

  async stop(): Promise<void> {
    await this.directory.stop();
    this.cgroups.close();
  }
}
