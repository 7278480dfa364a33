import { registerAs } from '@nestjs/config';
import { loadEnvironment } from './validate-environment.js';

export const samplerConfig = registerAs('sampler', () => {
  const env = loadEnvironment();
  return {
    hostName: env.VITALS_HOST_NAME,
    intervalMs: env.VITALS_INTERVAL_MS,
    /** Refresh period of the expensive groups; the others are read every tick. */
    disksIntervalMs: env.VITALS_DISKS_INTERVAL_MS,
    processesIntervalMs: env.VITALS_PROCESSES_INTERVAL_MS,
    topProcesses: env.VITALS_TOP_PROCESSES,
    procfs: env.VITALS_PROCFS,
    sysfs: env.VITALS_SYSFS,
    /** The runtime API socket for container names; undefined: the default if it exists. */
    dockerSocket: env.VITALS_DOCKER_SOCKET,
    /** nvidia-smi for NVIDIA GPUs: a command on PATH, an absolute path, or `off`. */
    nvidiaSmi: env.VITALS_NVIDIA_SMI,
    /** A gateway takes no samples of its own: its agents do. */
    enabled: env.VITALS_MODE !== 'gateway',
  };
});
