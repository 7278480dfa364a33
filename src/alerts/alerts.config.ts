import { registerAs } from '@nestjs/config';
import { loadAlertRules } from './alert-rules.loader.js';
import { loadEnvironment } from '../config/validate-environment.js';

export const alertsConfig = registerAs('alerts', () => {
  const file = loadEnvironment().VITALS_ALERTS_FILE;
  return {
    /** Where the rules came from: the file, or undefined for the built-in defaults. */
    file,
    rules: loadAlertRules(file),
  };
});
