import { registerAs } from '@nestjs/config';
import { loadEnvironment } from './validate-environment.js';

export const streamConfig = registerAs('stream', () => {
  const env = loadEnvironment();
  return { heartbeatMs: env.VITALS_HEARTBEAT_MS };
});
