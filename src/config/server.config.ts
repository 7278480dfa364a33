import { registerAs } from '@nestjs/config';
import { loadEnvironment } from './validate-environment.js';

export const serverConfig = registerAs('server', () => {
  const env = loadEnvironment();
  return {
    host: env.VITALS_HOST,
    port: env.VITALS_PORT,
    /** Requests per minute per client address; 0: off. */
    rateLimit: env.VITALS_RATE_LIMIT,
    /** Origins allowed to read the API from a browser; empty: same-origin only. */
    corsOrigins: (env.VITALS_CORS_ORIGINS ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    /** Express's `trust proxy`: a hop count, or the proxies' addresses and subnets. */
    trustProxy: /^\d+$/.test(env.VITALS_TRUST_PROXY)
      ? Number(env.VITALS_TRUST_PROXY)
      : env.VITALS_TRUST_PROXY.split(',').map((entry) => entry.trim()),
  };
});
