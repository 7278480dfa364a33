import { isAbsolute } from 'node:path';
import { Transform } from 'class-transformer';
import { IsInt, Max, Min, ValidateBy, isFQDN, isIP } from 'class-validator';
import { parseDuration } from '../common/duration.js';

// The checks of EnvironmentVariables that class-validator does not have as they are.

// Environment strings become integers only when they are written as plain decimal integers:
// Number() alone would accept '', '0x10', '1e3' and ' 5 '.
const toInteger = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;

export const integerIn = (min: number, max: number): PropertyDecorator => {
  const message = { message: `must be an integer from ${min} to ${max}` };
  return (target: object, key: string | symbol): void => {
    Transform(toInteger)(target, key);
    IsInt(message)(target, key);
    Min(min, message)(target, key);
    Max(max, message)(target, key);
  };
};

export const absolutePath = (): PropertyDecorator =>
  ValidateBy({
    name: 'isAbsolutePath',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && isAbsolute(value),
      defaultMessage: () => 'must be an absolute path',
    },
  });

// An http://host:port origin: no credentials, path, query or fragment.
const isHttpOrigin = (text: string): boolean => {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' && `${url.origin}/` === url.href && url.username === '';
  } catch {
    return false;
  }
};

export const dockerSocket = (): PropertyDecorator =>
  ValidateBy({
    name: 'isDockerSocket',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'string' && (value === 'off' || isAbsolute(value) || isHttpOrigin(value)),
      defaultMessage: () =>
        'must be an absolute socket path, http://host:port (a socket proxy) or "off"',
    },
  });

// A bare command is looked up on PATH; anything with a slash must be absolute, so that the
// binary run does not depend on the directory vitals was started from.
export const nvidiaSmi = (): PropertyDecorator =>
  ValidateBy({
    name: 'isNvidiaSmi',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'string' &&
        (value === 'off' || isAbsolute(value) || /^[A-Za-z0-9._+-]+$/.test(value)),
      defaultMessage: () =>
        'must be a command on PATH (e.g. nvidia-smi), an absolute path to it, or "off"',
    },
  });

// A host silent longer than this is forgotten: at least a second, at most a year.
export const hostTtl = (): PropertyDecorator =>
  ValidateBy({
    name: 'isHostTtl',
    validator: {
      validate: (value: unknown) => {
        const ms = typeof value === 'string' ? parseDuration(value) : undefined;
        return ms !== undefined && ms >= 1000 && ms <= 366 * 86_400_000;
      },
      defaultMessage: () => 'must be a duration from 1s to 366d, e.g. 30s, 15m, 24h or 7d',
    },
  });

export const bindAddress = (): PropertyDecorator =>
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
export const originList = (): PropertyDecorator =>
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
export const trustProxy = (): PropertyDecorator =>
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

export const redisUrl = (): PropertyDecorator =>
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
export const ROLLUPS_FORMAT =
  /^\s*(off|(1m|15m|1h):[1-9]\d{0,5}[mhdy](\s*,\s*(1m|15m|1h):[1-9]\d{0,5}[mhdy])*)\s*$/;

export const postgresUrl = (): PropertyDecorator =>
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
