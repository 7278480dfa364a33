import { readFileSync } from 'node:fs';
import { registerAs } from '@nestjs/config';
import { readAlertRulesDocument } from '../common/alert-rules-document.js';
import { InvalidAlertRulesError } from '../common/invalid-alert-rules.error.js';
import { loadEnvironment } from '../config/validate-environment.js';
import { type DeliveryConfig, parseDeliveryConfig } from './delivery-config.js';
import type { Env } from './env-substitution.js';

/**
 * The receivers and routes of the alert rules file `file` (none without a file), `${NAME}` in
 * their values taken from `env`. Throws InvalidAlertRulesError listing every problem.
 */
export function loadDeliveryConfig(file: string | undefined, env: Env): DeliveryConfig {
  if (file === undefined) {
    return { receivers: [], routes: [] };
  }
  const document = readAlertRulesDocument(file);
  const rules = (document as { rules?: unknown } | null)?.rules;
  const ruleNames = (Array.isArray(rules) ? rules : [])
    .map((rule) => (rule as { name?: unknown } | null)?.name)
    .filter((name): name is string => typeof name === 'string');
  const result = parseDeliveryConfig(document, { env, ruleNames });
  if (!result.ok) {
    throw new InvalidAlertRulesError(file, result.problems);
  }
  return result.config;
}

/**
 * The environment variables `${NAME}` in the alert rules file names (VITALS_WEBHOOK_SECRET…):
 * not vitals settings, but not unknown either.
 */
export function referencedVariables(file: string | undefined): Set<string> {
  if (file === undefined) {
    return new Set();
  }
  try {
    const text = readFileSync(file, 'utf8');
    return new Set([...text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((match) => match[1]!));
  } catch {
    return new Set();
  }
}

export const deliveryConfig = registerAs('delivery', () => {
  const env = loadEnvironment();
  return {
    ...loadDeliveryConfig(env.VITALS_ALERTS_FILE, process.env),
    mode: env.VITALS_MODE,
  };
});

export type DeliveryModuleConfig = ReturnType<typeof deliveryConfig>;
