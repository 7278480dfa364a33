import { hostname } from 'node:os';
import { isAbsolute } from 'node:path';
import { Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateBy,
  isFQDN,
  isIP,
} from 'class-validator';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];
export const AUTH_MODES = ['token', 'none'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];
export const MODES = ['standalone', 'agent', 'gateway'] as const;
export type Mode = (typeof MODES)[number];
export const LOG_FORMATS = ['text', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

// Environment strings become integers only when they are written as plain decimal integers:
// Number() alone would accept '', '0x10', '1e3' and ' 5 '.
const toInteger = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;

const integerIn = (min: number, max: number): PropertyDecorator => {
  const message = { message: `must be an integer from ${min} to ${max}` };
  return (target: object, key: string | symbol): void => {
    Transform(toInteger)(target, key);
    IsInt(message)(target, key);
    Min(min, message)(target, key);
    Max(max, message)(target, key);
  };
};

const absolutePath = (): PropertyDecorator =>
  ValidateBy({
    name: 'isAbsolutePath',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && isAbsolute(value),
      defaultMessage: () => 'must be an absolute path',
    },
  });

const bindAddress = (): PropertyDecorator =>
  ValidateBy({
    name: 'isBindAddress',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'string' &&
        (isIP(value) || isFQDN(value, { require_tld: false, allow_underscores: true })),
      defaultMessage: () => 'must be an IP address or a host name, e.g. 127.0.0.1, 0.0.0.0 or ::',
    },
  });

// A comma-separated list of origins as browsers send them: scheme://host[:port], no path.
const originList = (): PropertyDecorator =>
  ValidateBy({
    name: 'isOriginList',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'string' &&
        value.split(',').every((origin) => {
          try {
            const url = new URL(origin.trim());
            return /^https?:$/.test(url.protocol) && url.origin === origin.trim();
          } catch {
            return false;
          }
        }),
      defaultMessage: () =>
        'must be comma-separated origins such as https://grafana.example.com,http://localhost:5173',
    },
  });

const TRUST_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);
// An address or subnet Express's trust proxy setting takes: 10.0.0.1, 10.0.0.0/8, fd00::/8.
const isTrustedAddress = (entry: string): boolean => {
  if (TRUST_NAMES.has(entry)) {
    return true;
  }
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address) ? Number(isIP(address, 4) ? 4 : 6) : 0;
  if (family === 0 || rest.length > 0) {
    return false;
  }
  return (
    prefix === undefined ||
    (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128))
  );
};

// Express's trust proxy values, less `true` (which would let any client forge its address): a
// hop count, or addresses, subnets and the names loopback, linklocal, uniquelocal.
const trustProxy = (): PropertyDecorator =>
  ValidateBy({
    name: 'isTrustProxy',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'string' &&
        (/^\d{1,2}$/.test(value) ||
          value.split(',').every((entry) => isTrustedAddress(entry.trim()))),
      defaultMessage: () =>
        'must be a hop count (0-99) or comma-separated addresses, subnets and the names ' +
        'loopback, linklocal, uniquelocal, e.g. loopback,172.16.0.0/12',
    },
  });

const redisUrl = (): PropertyDecorator =>
  ValidateBy({
    name: 'isRedisUrl',
    validator: {
      validate: (value: unknown) => {
        try {
          return typeof value === 'string' && /^rediss?:$/.test(new URL(value).protocol);
        } catch {
          return false;
        }
      },
      defaultMessage: () => 'must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379',
    },
  });

// The shape of a rollup tier list (`1m:7d,15m:90d`) or `off`; the rollups room checks the rest
// (each tier once, a retention of at least one bucket) when the application starts.
const ROLLUPS_FORMAT =
  /^\s*(off|(1m|15m|1h):[1-9]\d{0,5}[mhdy](\s*,\s*(1m|15m|1h):[1-9]\d{0,5}[mhdy])*)\s*$/;

const postgresUrl = (): PropertyDecorator =>
  ValidateBy({
    name: 'isPostgresUrl',
    validator: {
      validate: (value: unknown) => {
        try {
          return typeof value === 'string' && /^postgres(ql)?:$/.test(new URL(value).protocol);
        } catch {
          return false;
        }
      },
      defaultMessage: () =>
        'must be a postgres:// or postgresql:// URL, e.g. postgres://vitals:secret@db:5432/vitals',
    },
  });

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
