import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { AlertRule } from './alert-rule.js';
import { DEFAULT_RULES } from './default-rules.js';
import { parseDuration } from '../common/duration.js';
import { AlertRuleInputDto } from './dto/alert-rule-input.dto.js';
import { InvalidAlertRulesError } from '../common/invalid-alert-rules.error.js';
import { compileMetricPath } from './metric-path.js';
import { errorMessage } from '../common/error-message.js';
import { readAlertRulesDocument } from '../common/alert-rules-document.js';

/** Resolves only once the value is this far below a threshold, unless a rule says otherwise. */
export const DEFAULT_HYSTERESIS = 5;

/**
 * The rules in `file` (YAML, or JSON when it ends in `.json`), or the built-in defaults when
 * `file` is undefined. Throws {@link InvalidAlertRulesError} naming the file and, for each bad
 * rule, its position and name and what is wrong.
 */
export function loadAlertRules(file: string | undefined): AlertRule[] {
  if (file === undefined) {
    return compileRules('the built-in defaults', DEFAULT_RULES);
  }
  const document = readAlertRulesDocument(file);
  const rules = (document as { rules?: unknown } | null)?.rules;
  if (!Array.isArray(rules)) {
    throw new InvalidAlertRulesError(file, ['must be a map with a "rules" list']);
  }
  return compileRules(file, rules);
}

function compileRules(file: string, inputs: readonly unknown[]): AlertRule[] {
  const problems: string[] = [];
  const rules: AlertRule[] = [];
  const names = new Set<string>();
  inputs.forEach((input, index) => {
    const named = (input as { name?: unknown } | null)?.name;
    const where = `rule ${index + 1}${typeof named === 'string' ? ` (${named})` : ''}`;
    const result = compileRule(input);
    if (typeof result === 'string') {
      problems.push(`${where}: ${result}`);
    } else if (names.has(result.name)) {
      problems.push(`${where}: another rule is already named "${result.name}"`);
    } else {
      names.add(result.name);
      rules.push(result);
    }
  });
  if (problems.length > 0) {
    throw new InvalidAlertRulesError(file, problems);
  }
  return rules;
}

// The rule, or what is wrong with it.
function compileRule(input: unknown): AlertRule | string {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return 'must be a map with name, metric and warning and/or critical';
  }
  const dto = plainToInstance(AlertRuleInputDto, input);
  const errors = validateSync(dto, {
    whitelist: true,
    forbidNonWhitelisted: true,
    stopAtFirstError: true,
  });
  if (errors.length > 0) {
    return errors
      .map((error) =>
        error.constraints?.whitelistValidation
          ? `unknown field "${error.property}" (allowed: name, metric, warning, critical, for, hysteresis)`
          : Object.values(error.constraints ?? {}).join('; '),
      )
      .join('; ');
  }
  const warning = dto.warning ?? null;
  const critical = dto.critical ?? null;
  if (warning === null && critical === null) {
    return 'needs a warning or a critical threshold (or both)';
  }
  if (warning !== null && critical !== null && warning >= critical) {
    return `warning (${warning}) must be below critical (${critical})`;
  }
  const forMs = dto.for === undefined ? 0 : parseDuration(String(dto.for));
  if (forMs === undefined) {
    return `for "${String(dto.for)}" is not a duration such as 30s, 5m or 1h30m`;
  }
  let read;
  try {
    read = compileMetricPath(dto.metric);
  } catch (error) {
    return `metric "${dto.metric}": ${errorMessage(error)}`;
  }
  return {
    name: dto.name,
    metric: dto.metric,
    warning,
    critical,
    forMs,
    hysteresis: dto.hysteresis ?? DEFAULT_HYSTERESIS,
    read,
  };
}
