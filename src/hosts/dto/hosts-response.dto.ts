import { ApiProperty } from '@nestjs/swagger';
import { MODES, type Mode } from '../../config/environment-variables.js';
import { HostDto } from './host.dto.js';

/** The hosts this server has samples of. */
export class HostsResponseDto {
  /** How this server runs (VITALS_MODE): a gateway serves every agent's host. */
  @ApiProperty({ enum: MODES, example: 'gateway' })
  mode!: Mode;
  /** By name. */
  hosts!: HostDto[];
}
