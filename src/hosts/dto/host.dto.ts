import { ApiProperty } from '@nestjs/swagger';

/** A host with samples in the hub. */
export class HostDto {
  /** The host's name (its VITALS_HOST_NAME), as in each sample's `host`. */
  name!: string;
  /** The timestamp of its newest sample (ISO 8601, UTC). */
  lastSeen!: string;
  /** The id of its newest sample: a Redis Stream id on a gateway. */
  @ApiProperty({
    oneOf: [{ type: 'integer' }, { type: 'string' }],
    example: '1795524273660-0',
  })
  lastId!: number | string;
  /** Milliseconds since `lastSeen`, by this server's clock. */
  ageMs!: number;
  /**
   * Silent for more than three of its intervals (timed from when this server received its newest
   * sample). A host silent past VITALS_HOST_TTL is no longer listed.
   */
  stale!: boolean;
}
