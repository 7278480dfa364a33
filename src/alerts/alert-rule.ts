import type { MetricReader } from './metric-path.js';

/** A threshold rule as it is in force: parsed, validated and compiled. */
export interface AlertRule {
  name: string;
  /** Dotted path into the sample; `[]` applies the rule to each element of a list. */
  metric: string;
  warning: number | null;
  critical: number | null;
  /** How long a level must hold before it fires. */
  forMs: number;
  /** How far below a threshold the value must fall to leave that level. */
  hysteresis: number;
  read: MetricReader;
}

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
