import { ActiveAlertDto } from './active-alert.dto.js';
import { AlertRuleDto } from './alert-rule.dto.js';

/** The alerts active now and the rules in force. */
export class AlertsResponseDto {
  /** Alerts in warning or critical, in the order they entered that state. */
  active!: ActiveAlertDto[];
  rules!: AlertRuleDto[];
}
