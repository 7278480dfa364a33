import { Controller, Get, Header, Inject } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProtected } from '../common/api-protected.decorator.js';
import { transportConfig } from '../config/transport.config.js';
import { SampleHubService } from '../hub/sample-hub.service.js';
import { HostsResponseDto } from './dto/hosts-response.dto.js';

@ApiTags('hosts')
@ApiProtected()
@Controller('api/v1/hosts')
export class HostsController {
  constructor(
    private readonly hub: SampleHubService,
    @Inject(transportConfig.KEY) private readonly config: ConfigType<typeof transportConfig>,
  ) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'The hosts with samples, and when each was last seen',
    description:
      'A standalone vitals or an agent lists its own host; a gateway every host whose samples ' +
      'it holds. Use the names with `host=` on /api/v1/stream, /api/v1/metrics and /history.',
  })
  @ApiOkResponse({ type: HostsResponseDto })
  list(): HostsResponseDto {
    return { mode: this.config.mode, hosts: this.hub.hosts() };
  }
}
