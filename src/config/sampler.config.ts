import { registerAs } from '@nestjs/config';
import { loadEnvironment } from './validate-environment.js';

export const samplerConfig = registerAs('sampler', () => {
  const env = loadEnvironment();
  return {
    hostName: env.VITALS_HOST_NAME,
    intervalMs: env.VITALS_INTERVAL_MS,
    procfs: env.VITALS_PROCFS,
    sysfs: env.VITALS_SYSFS,
  };
});
