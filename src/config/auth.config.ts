import { registerAs } from '@nestjs/config';
import { loadEnvironment } from './validate-environment.js';

export const authConfig = registerAs('auth', () => {
  const env = loadEnvironment();
  return {
    /** The token every protected route needs; undefined when auth is off. */
    token: env.VITALS_AUTH === 'none' ? undefined : env.VITALS_TOKEN,
  };
});
