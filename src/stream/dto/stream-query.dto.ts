import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { SampleQueryDto } from '../../hub/dto/sample-query.dto.js';
import {
  EVENT_ID_FORMAT,
  EVENT_ID_MESSAGE,
  toBoolean,
  toInteger,
} from '../../common/dto/query-transforms.js';

/** Query options of `GET /api/v1/stream`. */
export class StreamQueryDto extends SampleQueryDto {
  /**
   * Milliseconds between delivered samples: a multiple of the sampling interval (the client gets
   * every n-th sample). Default: every sample.
   * @example 5000
   */
  @IsOptional()
  @Transform(toInteger)
  @IsInt({ message: 'every must be a whole number of milliseconds' })
  @Min(1, { message: 'every must be at least 1 ms' })
  @Max(86_400_000, { message: 'every must be at most 86400000 ms (a day)' })
  every?: number;

  /** false: skip catch-up (no replay on resume, no latest sample on connect); live events only. */
  @ApiPropertyOptional({ type: Boolean, default: true })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'replay must be true or false' })
  replay?: boolean;

  /**
   * false: samples only. By default `alert` events (changes of alert state) come too, whatever
   * `groups=` says.
   */
  @ApiPropertyOptional({ type: Boolean, default: true })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'alerts must be true or false' })
  alerts?: boolean;

  /**
   * Resume after this event id, for clients that cannot send the `Last-Event-ID` header (which
   * wins when both are given).
   */
  @ApiPropertyOptional({ type: String, example: '1795524273660' })
  @IsOptional()
  @Matches(EVENT_ID_FORMAT, { message: `lastEventId ${EVENT_ID_MESSAGE}` })
  lastEventId?: string;
}
