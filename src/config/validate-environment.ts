import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { EnvironmentVariables } from './environment-variables.js';
import { InvalidEnvironmentError } from './invalid-environment.error.js';

const PREFIX = 'VITALS_';
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
        return `${error.property}=${JSON.stringify(input[error.property])} is invalid: ${allowed}`;
      }),
    );
  }
  return env;
}

/** `VITALS_*` variables that vitals does not know, most likely typos. */
export function unknownVariables(raw: Record<string, unknown>): string[] {
  return Object.keys(vitalsVariables(raw)).filter((name) => !KNOWN.has(name));
}

/** The validated settings of the current process environment. */
export function loadEnvironment(): EnvironmentVariables {
  return validateEnvironment(process.env);
}
