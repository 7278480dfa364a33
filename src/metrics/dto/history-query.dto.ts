import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { GroupsQueryDto } from '../../common/dto/groups-query.dto.js';
import { toEventId, toInteger } from '../../common/dto/query-transforms.js';

/** The most samples one history request returns. */
export const HISTORY_LIMIT_MAX = 3600;
export const HISTORY_LIMIT_DEFAULT = 300;

/** Query options of `GET /api/v1/metrics/history`. */
export class HistoryQueryDto extends GroupsQueryDto {
  /**
   * Return samples after this id, oldest first (page forward with the last id you got). Absent:
   * the newest `limit` samples.
   */
  @ApiPropertyOptional({ type: Number, example: 1795524273660 })
  @IsOptional()
  @Transform(toEventId)
  @IsInt({ message: 'since must be an event id (a non-negative integer)' })
  @Min(0, { message: 'since must be an event id (a non-negative integer)' })
  since?: number;

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
