import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { SampleQueryDto } from '../../hub/dto/sample-query.dto.js';
import { TIER_NAMES, type TierName } from '../rollup-tiers.js';

// An ISO 8601 time (a date, or a date and time with an optional zone), or `-<n>m|h|d|y`.
const TIME_FORMAT =
  /^(-[1-9]\d{0,5}[mhdy]|\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?)$/;
const TIME_MESSAGE = (name: string) =>
  `${name} must be an ISO 8601 time (e.g. 2026-11-24T11:00:00Z) or a negative duration such as -24h or -7d`;

export const ROLLUP_FORMATS = ['json', 'csv'] as const;

/** Query options of `GET /api/v1/metrics/rollups`. */
export class RollupsQueryDto extends SampleQueryDto {
  /** Start of the range: an ISO 8601 time, or a duration before now (`-24h`, `-7d`). */
  @ApiPropertyOptional({ type: String, default: '-1h', example: '-24h' })
  @IsOptional()
  @Matches(TIME_FORMAT, { message: TIME_MESSAGE('from') })
  from?: string;

  /** End of the range (its bucket included): an ISO 8601 time or a duration before now. */
  @ApiPropertyOptional({
    type: String,
    description: 'Default: now',
    example: '2026-11-24T12:00:00Z',
  })
  @IsOptional()
  @Matches(TIME_FORMAT, { message: TIME_MESSAGE('to') })
  to?: string;

  /**
   * The tier (bucket width). Absent: the finest tier whose retention reaches `from` and that
   * gives at most 1,500 points per host. A tier not configured (VITALS_ROLLUPS) is a 400.
   */
  @ApiPropertyOptional({ enum: TIER_NAMES })
  @IsOptional()
  @IsIn(TIER_NAMES, { message: `step must be one of ${TIER_NAMES.join(', ')}` })
  step?: TierName;

  /** `csv` answers with CSV (as `Accept: text/csv` does). */
  @ApiPropertyOptional({ enum: ROLLUP_FORMATS, default: 'json' })
  @IsOptional()
  @IsIn(ROLLUP_FORMATS, { message: `format must be one of ${ROLLUP_FORMATS.join(', ')}` })
  format?: (typeof ROLLUP_FORMATS)[number];
}
