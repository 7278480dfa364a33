import { registerAs } from '@nestjs/config';
import { loadEnvironment } from '../config/validate-environment.js';
import { parseRollupTiers } from './rollup-tiers.js';

export const rollupsConfig = registerAs('rollups', () => {
  const env = loadEnvironment();
  return {
    /** The configured tiers, finest first (main.ts has checked VITALS_ROLLUPS parses). */
    tiers: parseRollupTiers(env.VITALS_ROLLUPS),
    dataDir: env.VITALS_DATA_DIR,
    /** PostgreSQL shared by every replica; undefined: SQLite in dataDir. Holds a password. */
    url: env.VITALS_ROLLUP_URL,
    mode: env.VITALS_MODE,
    /** This process's own host: its open buckets are reloaded at start (not on a gateway). */
    hostName: env.VITALS_HOST_NAME,
  };
});

export type RollupsConfig = ReturnType<typeof rollupsConfig>;
