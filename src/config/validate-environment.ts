import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { EnvironmentVariables } from './environment-variables.js';
import { InvalidEnvironmentError } from './invalid-environment.error.js';

const PREFIX = 'VITALS_';
// The Redis and Postgres URLs may carry a password.
const SECRETS = new Set(['VITALS_TOKEN', 'VITALS_REDIS_URL', 'VITALS_ROLLUP_URL']);
const KNOWN = new Set(Object.keys(new EnvironmentVariables()));

// Only VITALS_* variables are read; an empty one counts as unset, so `VITALS_PORT=` in a
// compose file falls back to the default rather than failing as "not an integer".
function vitalsVariables(raw: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(raw).filter(
      ([name, value]) => name.startsWith(PREFIX) && value !== undefined && value !== '',
    ),
  );
}

/**
 * Converts and validates the `VITALS_*` variables of `raw` (normally `process.env`), filling in
 * defaults. Throws {@link InvalidEnvironmentError} listing every bad variable, its value and what
 * is allowed.
 */
export function validateEnvironment(raw: Record<string, unknown>): EnvironmentVariables {
  const input = vitalsVariables(raw);
  const env = plainToInstance(EnvironmentVariables, input);
  const errors = validateSync(env, { stopAtFirstError: true });
  if (errors.length > 0) {
    throw new InvalidEnvironmentError(
      errors.map((error) => {
        const allowed = Object.values(error.constraints ?? {}).join('; ');
        // A secret is not echoed into logs, even a malformed one.
        const value = SECRETS.has(error.property)
          ? '(hidden)'
          : JSON.stringify(input[error.property]);
        return `${error.property}=${value} is invalid: ${allowed}`;
      }),
    );
  }
  const problem = openWithoutToken(env) ?? redisMissing(env);
  if (problem) {
    throw new InvalidEnvironmentError([problem]);
  }
  return env;
}

/** Whether `host` only accepts connections from this machine. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

// Reachable from other machines with nothing to stop a stranger: refused unless said on purpose.
function openWithoutToken(env: EnvironmentVariables): string | undefined {
  if (isLoopback(env.VITALS_HOST) || env.VITALS_TOKEN || env.VITALS_AUTH === 'none') {
    return undefined;
  }
  return (
    `VITALS_HOST=${env.VITALS_HOST} makes vitals reachable from other machines, but no ` +
    'VITALS_TOKEN is set: set one (e.g. VITALS_TOKEN=$(openssl rand -hex 32)), or set ' +
    'VITALS_AUTH=none to serve without authentication on purpose'
  );
}

function redisMissing(env: EnvironmentVariables): string | undefined {
  return env.VITALS_MODE !== 'standalone' && !env.VITALS_REDIS_URL
    ? `VITALS_MODE=${env.VITALS_MODE} needs VITALS_REDIS_URL (e.g. redis://127.0.0.1:6379)`
    : undefined;
}

/** `VITALS_*` variables that vitals does not know, most likely typos. */
export function unknownVariables(raw: Record<string, unknown>): string[] {
  return Object.keys(vitalsVariables(raw)).filter((name) => !KNOWN.has(name));
}

/** The validated settings of the current process environment. */
export function loadEnvironment(): EnvironmentVariables {
  return validateEnvironment(process.env);
}
