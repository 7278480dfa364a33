import { ApiProperty } from '@nestjs/swagger';
import { IsISO8601, IsIn, IsNotEmpty, IsString } from 'class-validator';
import { IsFiniteNumber, IsStringRecord, Nullable } from '../../common/dto/schema-decorators.js';

/** A change of an alert's state: the data of an `event: alert` frame. */
export class AlertDto {
  /** The rule's name. */
  @IsString()
  rule!: string;
  /** The rule's metric path, e.g. "disks[].usage". */
  @IsString()
  metric!: string;
  /** The state entered. */
  @ApiProperty({ enum: ['warning', 'critical', 'resolved'] })
  @IsIn(['warning', 'critical', 'resolved'])
  severity!: 'warning' | 'critical' | 'resolved';
  /** The value that caused the change; null when the element it watched is gone. */
  @Nullable()
  @IsFiniteNumber()
  value!: number | null;
  /** The threshold crossed: entered for warning and critical, left for resolved. */
  @IsFiniteNumber()
  threshold!: number;
  /**
   * When the alert entered this state (ISO 8601, the sample's timestamp).
   * @example "2026-11-24T11:00:00.000Z"
   */
  @IsISO8601({ strict: true })
  since!: string;
  /** The host whose sample it is. */
  @IsString()
  @IsNotEmpty()
  host!: string;
  /**
   * Which element of a list it watches, e.g. {"mount": "/"}; empty for a single value.
   * @example {"mount": "/"}
   */
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } })
  @IsStringRecord()
  labels!: Record<string, string>;
}
