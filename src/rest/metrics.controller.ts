import {
  Controller,
  Get,
  Header,
  NotFoundException,
  Query,
  ServiceUnavailableException,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { ApiProtected } from '../common/api-protected.decorator.js';
import { SampleQueryDto } from '../hub/dto/sample-query.dto.js';
import { ErrorResponseDto } from '../common/dto/error-response.dto.js';
import { GroupSelection } from '../hub/group-selection.js';
import { SampleHubService } from '../hub/sample-hub.service.js';
import { HISTORY_LIMIT_DEFAULT, HistoryQueryDto } from './dto/history-query.dto.js';
import { SampleHistoryDto } from './dto/sample-history.dto.js';
import { SampleDto } from '../hub/dto/sample.dto.js';
import { ErrorCode } from '../common/error-code.js';

// Both routes answer with JSON the hub already serialized for the stream: a request costs a
// string concatenation, never a sample or a JSON.stringify of one.
@ApiTags('metrics')
@ApiProtected()
@Controller('api/v1/metrics')
export class MetricsController {
  constructor(private readonly hub: SampleHubService) {}

  @Get()
  @Header('Content-Type', 'application/json; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'The latest sample',
    description:
      'Served from the shared sampler; a request never triggers a sample. On a gateway, the ' +
      'newest sample of the hosts `host=` selects (of any host when absent).',
  })
  @ApiOkResponse({ description: 'The latest sample', type: SampleDto })
  @ApiBadRequestResponse({
    description: 'Invalid query (code INVALID_QUERY)',
    type: ErrorResponseDto,
  })
  @ApiNotFoundResponse({
    description: 'No sample of the hosts `host=` names (code UNKNOWN_HOST)',
    type: ErrorResponseDto,
  })
  @ApiServiceUnavailableResponse({
    description: 'No sample has been taken yet (code NO_SAMPLE)',
    type: ErrorResponseDto,
  })
  latest(@Query() query: SampleQueryDto): string {
    const hosts = query.host ? new Set(query.host) : undefined;
    const event = this.hub.latestOf(hosts);
    if (!event) {
      if (hosts && this.hub.latest) {
        throw new NotFoundException({
          message: `No sample of ${[...hosts].join(', ')}: see GET /api/v1/hosts for the hosts known`,
          code: ErrorCode.UNKNOWN_HOST,
        });
      }
      throw new ServiceUnavailableException({
        message: 'No sample has been taken yet',
        code: ErrorCode.NO_SAMPLE,
      });
    }
    return event.frame(GroupSelection.of(query.groups)).data;
  }

  @Get('history')
  @Header('Content-Type', 'application/json; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Retained samples, oldest first',
    description:
      'The samples after `since` (or the newest `limit` when `since` is absent), from the same ' +
      'in-memory buffer the stream resumes from (VITALS_HISTORY events). `oldest` and `newest` ' +
      'give the retained range. `host=` selects hosts (on a gateway, ids are Redis Stream ids).',
  })
  @ApiOkResponse({ description: 'A page of samples', type: SampleHistoryDto })
  @ApiBadRequestResponse({
    description: 'Invalid query, or `since` ahead of the newest id (code INVALID_QUERY)',
    type: ErrorResponseDto,
  })
  history(@Query() query: HistoryQueryDto): string {
    const since = query.since === undefined ? undefined : this.hub.resolve(query.since, 'since');
    const selection = GroupSelection.of(query.groups);
    const hosts = query.host ? new Set(query.host) : undefined;
    const samples = this.hub
      .history(since?.after, query.limit ?? HISTORY_LIMIT_DEFAULT, hosts)
      .map((event) => event.frame(selection).data);
    const range = this.hub.retained;
    return `{"samples":[${samples.join(',')}],"oldest":${JSON.stringify(range?.oldest ?? null)},"newest":${JSON.stringify(range?.newest ?? null)}}`;
  }
}
