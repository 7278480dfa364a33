import { Controller, Get, Header, Query, ServiceUnavailableException } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { GroupsQueryDto } from '../common/dto/groups-query.dto.js';
import { ErrorResponseDto } from '../common/dto/error-response.dto.js';
import { GroupSelection } from '../stream/group-selection.js';
import { SampleHubService } from '../stream/sample-hub.service.js';
import { SampleDto } from './dto/sample.dto.js';

@ApiTags('metrics')
@Controller('api/v1/metrics')
export class MetricsController {
  constructor(private readonly hub: SampleHubService) {}

  // Returns the JSON the stream already serialized for this tick and selection.
  @Get()
  @Header('Content-Type', 'application/json; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'The latest sample',
    description: 'Served from the shared sampler; a request never triggers a sample.',
  })
  @ApiOkResponse({ description: 'The latest sample', type: SampleDto })
  @ApiBadRequestResponse({
    description: 'Invalid query (code INVALID_QUERY)',
    type: ErrorResponseDto,
  })
  @ApiServiceUnavailableResponse({
    description: 'No sample has been taken yet (code NO_SAMPLE)',
    type: ErrorResponseDto,
  })
  latest(@Query() query: GroupsQueryDto): string {
    const event = this.hub.latest;
    if (!event) {
      throw new ServiceUnavailableException({
        message: 'No sample has been taken yet',
        code: 'NO_SAMPLE',
      });
    }
    return event.frame(GroupSelection.of(query.groups)).data;
  }
}
