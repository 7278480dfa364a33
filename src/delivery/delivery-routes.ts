import type { AlertChange, AlertSeverity } from '../hub/alert-change.js';
import { readSetting, type Env } from './env-substitution.js';

/** Sends the changes it matches to one receiver; no filter means every change. */
export interface Route {
  receiver: string;
  severity?: AlertSeverity[];
  rules?: string[];
}

const SEVERITIES: readonly AlertSeverity[] = ['warning', 'critical', 'resolved'];
const SEVERITIES_TEXT = SEVERITIES.join(', ');

const isMap = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** Whether `route` takes `change`: each filter it has names the change's severity or rule. */
export function routeMatches(route: Route, change: AlertChange): boolean {
  return (
    (route.severity?.includes(change.severity) ?? true) &&
    (route.rules?.includes(change.rule) ?? true)
  );
}

export interface ParsedRoute {
  route?: Route;
  /** The receiver it names once substituted; undefined when that is not readable. */
  receiver?: string;
  problems: string[];
}

/**
 * One entry of `routes:`, checked against the receivers declared and the rules in force; its
 * problems are without position, which the caller adds.
 */
export function parseRoute(
  input: unknown,
  env: Env,
  receivers: ReadonlySet<string>,
  rules: ReadonlySet<string>,
): ParsedRoute {
  if (!isMap(input)) {
    return { problems: ['must be a map with a receiver, and optionally severity and rules'] };
  }
  const allowed = ['receiver', 'severity', 'rules'];
  const problems = Object.keys(input)
    .filter((key) => !allowed.includes(key))
    .map((key) => `unknown field "${key}" (allowed: ${allowed.join(', ')})`);

  const receiver = readSetting(input.receiver, env);
  if (receiver.kind === 'absent') {
    problems.push('receiver is required');
  } else if (receiver.kind === 'not-text') {
    problems.push("receiver must be a receiver's name");
  } else if (receiver.kind === 'missing') {
    problems.push(...receiver.problems);
  } else if (!receivers.has(receiver.value)) {
    problems.push(`receiver "${receiver.value}" is not defined`);
  }
  const name = receiver.kind === 'text' ? receiver.value : undefined;

  const severity = readList(input.severity, env, 'severity', SEVERITIES_TEXT, (value) =>
    (SEVERITIES as readonly string[]).includes(value)
      ? undefined
      : `severity "${value}" is not one of ${SEVERITIES_TEXT}`,
  );
  const ruleNames = readList(input.rules, env, 'rules', 'rule names', (value) =>
    rules.has(value) ? undefined : `rule "${value}" is not a rule of this file`,
  );
  problems.push(...severity.problems, ...ruleNames.problems);
  if (problems.length > 0 || name === undefined) {
    return { receiver: name, problems };
  }
  const route: Route = {
    receiver: name,
    ...(severity.values && { severity: severity.values as AlertSeverity[] }),
    ...(ruleNames.values && { rules: ruleNames.values }),
  };
  return { route, receiver: name, problems };
}

// An optional filter: a list of texts, or one text for a list of one (`severity: critical`).
function readList(
  input: unknown,
  env: Env,
  field: string,
  allowed: string,
  check: (value: string) => string | undefined,
): { values?: string[]; problems: string[] } {
  if (input === undefined || input === null) {
    return { problems: [] };
  }
  const items: unknown[] = Array.isArray(input) ? input : [input];
  if (items.length === 0) {
    // An empty filter matches nothing: the route would be dead.
    return { problems: [`${field} must not be empty (omit it to match every change)`] };
  }
  const values: string[] = [];
  const problems: string[] = [];
  for (const item of items) {
    const value = readSetting(item, env);
    if (value.kind === 'text') {
      const problem = check(value.value);
      if (problem === undefined) {
        values.push(value.value);
      } else {
        problems.push(problem);
      }
    } else if (value.kind === 'missing') {
      problems.push(...value.problems);
    } else {
      problems.push(`${field} must be a list of ${allowed}`);
    }
  }
  return { values: [...new Set(values)], problems: [...new Set(problems)] };
}
