/** A rule in force. */
export class AlertRuleDto {
  /** Its name, unique among the rules. */
  name!: string;
  /** Dotted path into the sample; `[]` applies the rule to each element of a list. */
  metric!: string;
  /** Warning threshold (at or above); null when the rule has none. */
  warning!: number | null;
  /** Critical threshold (at or above); null when the rule has none. */
  critical!: number | null;
  /**
   * How long the value must hold before the alert fires.
   * @example "30s"
   */
  for!: string;
  /** The same in milliseconds. */
  forMs!: number;
  /** How far below a threshold the value must fall to leave that level. */
  hysteresis!: number;
}
