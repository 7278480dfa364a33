import { resolve } from 'node:path';
import { Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { samplerConfig } from '../config/sampler.config.js';
import type { HostReader } from './host-reader.js';
import { HostContainersReader } from './containers/host-containers.reader.js';
import { HostGpusReader } from './gpus/host-gpus.reader.js';
import { LinuxHostReader } from './linux-host.reader.js';
import { MountedFilesystemsReader } from './mounted-filesystems.reader.js';
import { PortableHostReader } from './portable-host.reader.js';

type HostPaths = Pick<
  ConfigType<typeof samplerConfig>,
  'procfs' | 'sysfs' | 'dockerSocket' | 'nvidiaSmi' | 'intervalMs' | 'processesIntervalMs'
>;

/**
 * Chooses the one HostReader, once, for `platform`: procfs and sysfs on Linux (filesystems from
 * this process's mountinfo and statfs), systeminformation everywhere else. The Linux reader
 * checks VITALS_PROCFS and takes its first readings in onModuleInit, so a bad mount fails
 * startup like any other init error.
 */
export function createHostReader(
  config: HostPaths,
  portable: PortableHostReader,
  platform: NodeJS.Platform = process.platform,
): HostReader {
  if (platform !== 'linux') {
    new Logger(PortableHostReader.name).log(
      `Reading the host through systeminformation on ${platform}`,
    );
    // NVIDIA GPUs through nvidia-smi on any platform; sysfs (AMD, Intel) is Linux's.
    return portable.attachGpus(new HostGpusReader({ ...config, sysfs: null }));
  }
  // Another procfs than this process's own is a host's, mounted into a container: its
  // `net` is this process's namespace (a link to self/net), `1/net` the host's.
  const netDev = resolve(config.procfs) === '/proc' ? 'net/dev' : '1/net/dev';
  return new LinuxHostReader(
    {
      procfs: config.procfs,
      sysfs: config.sysfs,
      netDev,
      // The container facts are about vitals' own process, so they come from its own /proc.
      selfProc: '/proc',
      cgroupRoot: '/sys/fs/cgroup',
      root: '/',
    },
    // The filesystems this process sees, as `df` run here would list them.
    new MountedFilesystemsReader('/proc/self/mountinfo'),
    undefined,
    new HostContainersReader(config),
    new HostGpusReader(config),
  );
}
