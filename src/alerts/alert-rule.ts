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
