import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { SampleQueryDto } from '../../hub/dto/sample-query.dto.js';
import { EVENT_ID_FORMAT, EVENT_ID_MESSAGE, toInteger } from '../../common/dto/query-transforms.js';

/** The most samples one history request returns. */
export const HISTORY_LIMIT_MAX = 3600;
export const HISTORY_LIMIT_DEFAULT = 300;

/** Query options of `GET /api/v1/metrics/history`. */
export class HistoryQueryDto extends SampleQueryDto {
  /**
   * Return samples after this id, oldest first (page forward with the last id you got). Absent:
   * the newest `limit` samples.
   */
  @ApiPropertyOptional({ type: String, example: '1795524273660' })
  @IsOptional()
  @Matches(EVENT_ID_FORMAT, { message: `since ${EVENT_ID_MESSAGE}` })
  since?: string;

  /** How many samples at most. */
  @ApiPropertyOptional({
    type: Number,
    default: HISTORY_LIMIT_DEFAULT,
    minimum: 1,
    maximum: HISTORY_LIMIT_MAX,
  })
  @IsOptional()
  @Transform(toInteger)
  @IsInt({ message: `limit must be an integer from 1 to ${HISTORY_LIMIT_MAX}` })
  @Min(1, { message: `limit must be an integer from 1 to ${HISTORY_LIMIT_MAX}` })
  @Max(HISTORY_LIMIT_MAX, { message: `limit must be an integer from 1 to ${HISTORY_LIMIT_MAX}` })
  limit?: number;
}
