/** What the hub carries of alerts: one change of an alert's state, raised by the alert rules. */
export type AlertLevel = 'warning' | 'critical';
export type AlertSeverity = AlertLevel | 'resolved';

/** One change of an alert's state: what an `event: alert` frame carries. */
export interface AlertChange {
  rule: string;
  metric: string;
  severity: AlertSeverity;
  /** The value that caused the change; null when the element or its value is gone. */
  value: number | null;
  /** The threshold crossed: entered for warning/critical, left for resolved. */
  threshold: number;
  /** ISO time the alert entered this state. */
  since: string;
  host: string;
  labels: Record<string, string>;
}
