/** The environment variables `${NAME}` is looked up in: `process.env` at startup. */
export type Env = Readonly<Record<string, string | undefined>>;

/** A setting of the alert rules file, read as text with `${NAME}` substituted. */
export type Setting =
  | { kind: 'absent' }
  | { kind: 'not-text' }
  /** Some `${NAME}` in it is not set: one problem per variable. */
  | { kind: 'missing'; problems: string[] }
  /** `from` is ` (from ${NAME})` when the value came from the environment, else empty. */
  | { kind: 'text'; value: string; from: string };

// Shell-like names only, so a `$` or `${` that is no reference stays as it is written.
const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * `input` as text, with each `${NAME}` replaced by that environment variable, so a secret can
 * stay out of the file. A variable set to the empty string is set (and substitutes nothing);
 * there is no escape for a literal `${NAME}`.
 */
export function readSetting(input: unknown, env: Env): Setting {
  if (input === undefined || input === null) {
    return { kind: 'absent' };
  }
  if (typeof input !== 'string') {
    return { kind: 'not-text' };
  }
  const names = [...new Set(Array.from(input.matchAll(REFERENCE), (match) => match[1] ?? ''))];
  const missing = names.filter((name) => env[name] === undefined);
  if (missing.length > 0) {
    return { kind: 'missing', problems: missing.map((name) => `\${${name}} is not set`) };
  }
  return {
    kind: 'text',
    value: input.replace(REFERENCE, (_match, name: string) => env[name] ?? ''),
    from: names.length > 0 ? ` (from ${names.map((name) => `\${${name}}`).join(', ')})` : '',
  };
}
