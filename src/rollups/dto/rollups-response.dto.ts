import { ApiProperty } from '@nestjs/swagger';
import { TIER_NAMES, type TierName } from '../rollup-tiers.js';

/** The rolled-up points of a range. */
export class RollupsResponseDto {
  /** The tier the points come from. */
  @ApiProperty({ enum: TIER_NAMES, example: '1m' })
  tier!: TierName;

  /** The bucket width, in seconds. */
  @ApiProperty({ example: 60 })
  stepSeconds!: number;

  /** The range asked for, ISO 8601. */
  @ApiProperty({ example: '2026-11-24T11:00:00.000Z' })
  from!: string;

  @ApiProperty({ example: '2026-11-24T12:00:00.000Z' })
  to!: string;

  /**
   * One point per host and bucket, by host then time, the bucket still open included:
   * `{"timestamp": <bucket start>, "host", "samples": <count>, <group>: ...}` where every number
   * of a group is `{"min", "avg", "max"}` (null when null all bucket) and list elements keep
   * their identifying field (`mount`, `iface`).
   */
  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    example: [
      {
        timestamp: '2026-11-24T11:00:00.000Z',
        host: 'web-1',
        samples: 60,
        cpu: { usage: { min: 3.1, avg: 7.5, max: 22.4 } },
      },
    ],
  })
  points!: Record<string, unknown>[];
}
