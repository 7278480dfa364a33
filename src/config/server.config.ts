import { registerAs } from '@nestjs/config';
import { loadEnvironment } from './validate-environment.js';

export const serverConfig = registerAs('server', () => {
  const env = loadEnvironment();
  return { host: env.VITALS_HOST, port: env.VITALS_PORT };
});
