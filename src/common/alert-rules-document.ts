import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { InvalidAlertRulesError } from './invalid-alert-rules.error.js';

/**
 * The parsed alert rules file (YAML, or JSON when it ends in `.json`): its `rules:` are the
 * alerts' and its `receivers:` and `routes:` the delivery's. Throws InvalidAlertRulesError
 * when it cannot be read or parsed.
 */
export function readAlertRulesDocument(file: string): unknown {
  try {
    const text = readFileSync(file, 'utf8');
    return extname(file).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    // Not `instanceof Error`: errors from node:fs may come from another realm (as under Jest).
    const reason = String((error as { message?: unknown } | null)?.message ?? error);
    throw new InvalidAlertRulesError(file, [`cannot be read: ${reason.split('\n')[0]}`]);
  }
}
