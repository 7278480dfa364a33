import { hostname } from 'node:os';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import {
  integerIn,
  absolutePath,
  dockerSocket,
  nvidiaSmi,
  hostTtl,
  bindAddress,
  originList,
  trustProxy,
  redisUrl,
  ROLLUPS_FORMAT,
  postgresUrl,
} from './env-validators.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];
export const AUTH_MODES = ['token', 'none'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];
export const MODES = ['standalone', 'agent', 'gateway'] as const;
export type Mode = (typeof MODES)[number];
export const LOG_FORMATS = ['text', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/**
 * Every setting vitals reads, with its default as the initializer. Values arrive as strings from
 * the environment and are converted and validated once, at startup.
 */
export class EnvironmentVariables {
  @bindAddress()
  VITALS_HOST = '127.0.0.1';

  @integerIn(0, 65535)
  VITALS_PORT = 3000;

  @IsString()
  @Length(1, 253, { message: 'must be 1 to 253 characters' })
  VITALS_HOST_NAME = hostname();

  @integerIn(250, 60000)
  VITALS_INTERVAL_MS = 1000;

  @integerIn(1000, 3600000)
  VITALS_DISKS_INTERVAL_MS = 30000;

  @integerIn(1000, 3600000)
  VITALS_PROCESSES_INTERVAL_MS = 5000;

  @integerIn(0, 100)
  VITALS_TOP_PROCESSES = 10;

  @absolutePath()
  VITALS_PROCFS = '/proc';

  @absolutePath()
  VITALS_SYSFS = '/sys';

  // The Docker or Podman API socket read for container names, or a read-only socket proxy
  // (http://host:port); unset: /var/run/docker.sock if it exists; `off`: none.
  @IsOptional()
  @dockerSocket()
  VITALS_DOCKER_SOCKET: string | undefined = undefined;

  // The nvidia-smi run (once, for the life of the process) for NVIDIA GPUs: a command on PATH
  // or an absolute path; `off`: none.
  @nvidiaSmi()
  VITALS_NVIDIA_SMI = 'nvidia-smi';

  // A host silent longer than this leaves /api/v1/hosts, /metrics and the dashboard.
  @hostTtl()
  VITALS_HOST_TTL = '24h';

  @integerIn(1000, 300000)
  VITALS_HEARTBEAT_MS = 15000;

  @integerIn(10, 1000000)
  VITALS_HISTORY = 3600;

  @integerIn(1, 1000000)
  VITALS_MAX_SUBSCRIBERS = 10000;

  // Open streams one client address may hold; 0: no per-address cap.
  @integerIn(0, 1000000)
  VITALS_MAX_STREAMS_PER_IP = 64;

  // Requests per minute one client address may make (streams included, probes not); 0: off.
  @integerIn(0, 1000000)
  VITALS_RATE_LIMIT = 600;

  // Whose X-Forwarded-For and X-Forwarded-Proto to believe: the client address behind a proxy
  // (rate limit, per-address stream cap) and HTTPS (the session cookie's Secure flag).
  @trustProxy()
  VITALS_TRUST_PROXY = 'loopback';

  @integerIn(16384, 268435456)
  VITALS_CLIENT_BUFFER_BYTES = 1048576;

  // Unset: no auth, which is only allowed on a loopback address (see validateEnvironment).
  @IsOptional()
  @IsString()
  @Length(16, 1024, { message: 'must be 16 to 1024 characters (e.g. openssl rand -hex 32)' })
  @Matches(/^[\x21-\x7e]+$/, { message: 'must be printable ASCII without spaces' })
  VITALS_TOKEN: string | undefined = undefined;

  @IsIn(AUTH_MODES, { message: `must be one of ${AUTH_MODES.join(', ')}` })
  VITALS_AUTH: AuthMode = 'token';

  // Unset: same-origin only (no CORS headers at all).
  @IsOptional()
  @originList()
  VITALS_CORS_ORIGINS: string | undefined = undefined;

  // Unset: the built-in rules. The file itself is read and checked by the alerts loader.
  @IsOptional()
  @IsString()
  @Length(1, 4096, { message: 'must be a file path' })
  VITALS_ALERTS_FILE: string | undefined = undefined;

  @IsIn(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` })
  VITALS_LOG_LEVEL: LogLevelName = 'log';

  @IsIn(LOG_FORMATS, { message: `must be one of ${LOG_FORMATS.join(', ')}` })
  VITALS_LOG_FORMAT: LogFormat = 'text';

  @IsIn(MODES, { message: `must be one of ${MODES.join(', ')}` })
  VITALS_MODE: Mode = 'standalone';

  // Required in agent and gateway modes (see validateEnvironment).
  @IsOptional()
  @redisUrl()
  VITALS_REDIS_URL: string | undefined = undefined;

  @Matches(/^[\x21-\x7e]{1,200}$/, {
    message: 'must be a Redis key: 1 to 200 printable ASCII characters without spaces',
  })
  VITALS_REDIS_STREAM = 'vitals:events';

  @integerIn(100, 10_000_000)
  VITALS_REDIS_MAXLEN = 20000;

  @integerIn(1, 1_000_000)
  VITALS_AGENT_BUFFER = 3600;

  // Rollup tiers and their retention (README "History"), or `off`.
  @Matches(ROLLUPS_FORMAT, {
    message:
      'must be "off" or comma-separated <tier>:<retention> with tiers 1m, 15m, 1h and ' +
      'retentions <n>m|h|d|y, e.g. 1m:7d,15m:90d,1h:2y',
  })
  VITALS_ROLLUPS = '1m:7d,15m:90d,1h:2y';

  // Where the SQLite rollup file (vitals.db) is kept, created if absent.
  @IsString()
  @Length(1, 4096, { message: 'must be a directory path' })
  VITALS_DATA_DIR = './data';

  // Unset: SQLite in VITALS_DATA_DIR. May carry a password: never echoed.
  @IsOptional()
  @postgresUrl()
  VITALS_ROLLUP_URL: string | undefined = undefined;
}
