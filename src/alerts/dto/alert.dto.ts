import { ApiProperty } from '@nestjs/swagger';

/** A change of an alert's state: the data of an `event: alert` frame. */
export class AlertDto {
  /** The rule's name. */
  rule!: string;
  /** The rule's metric path, e.g. "disks[].usage". */
  metric!: string;
  /** The state entered. */
  @ApiProperty({ enum: ['warning', 'critical', 'resolved'] })
  severity!: 'warning' | 'critical' | 'resolved';
  /** The value that caused the change; null when the element it watched is gone. */
  value!: number | null;
  /** The threshold crossed: entered for warning and critical, left for resolved. */
  threshold!: number;
  /**
   * When the alert entered this state (ISO 8601, the sample's timestamp).
   * @example "2026-11-24T11:00:00.000Z"
   */
  since!: string;
  /** The host whose sample it is. */
  host!: string;
  /**
   * Which element of a list it watches, e.g. {"mount": "/"}; empty for a single value.
   * @example {"mount": "/"}
   */
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } })
  labels!: Record<string, string>;
}
