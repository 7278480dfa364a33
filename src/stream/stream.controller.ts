import { Controller, type MessageEvent, Query, Sse } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Observable } from 'rxjs';
import { ErrorResponseDto } from '../common/dto/error-response.dto.js';
import { StreamQueryDto } from './dto/stream-query.dto.js';
import { GroupSelection } from './group-selection.js';
import { RETRY_MS, SampleStreamService } from './sample-stream.service.js';

const EXAMPLE = [
  `retry: ${RETRY_MS}`,
  'event: meta',
  'id: 1764000000041',
  'data: {"host":"web-1","intervalMs":1000,"heartbeatMs":15000,"groups":["cpu","memory"]}',
  '',
  'event: sample',
  'id: 1764000000042',
  'data: {"id":1764000000042,"timestamp":"2026-11-24T11:00:00.000Z","host":"web-1","cpu":{…}}',
  '',
  ': ping',
  '',
].join('\n');

@ApiTags('stream')
@ApiExtraModels(ErrorResponseDto)
@Controller('api/v1')
export class StreamController {
  constructor(private readonly streams: SampleStreamService) {}

  @Sse('stream')
  @ApiOperation({
    summary: 'Live samples over Server-Sent Events',
    description:
      'Sends a `meta` frame (host, interval, heartbeat, groups) at once, then the latest sample, ' +
      'then one `sample` event per tick, each with `id:` from the stream sequence. A `: ping` ' +
      "comment goes out when nothing else did for VITALS_HEARTBEAT_MS. A `sample` event's " +
      'data is a SampleDto (one line of JSON); `meta` data is `{host, intervalMs, heartbeatMs, ' +
      'groups}`.',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({
    description: 'An endless event stream',
    content: { 'text/event-stream': { schema: { type: 'string', example: EXAMPLE } } },
  })
  @ApiBadRequestResponse({
    description: 'Invalid query (code INVALID_QUERY); no stream is opened',
    content: { 'application/json': { schema: { $ref: getSchemaPath(ErrorResponseDto) } } },
  })
  stream(@Query() query: StreamQueryDto): Observable<MessageEvent> {
    const selection = GroupSelection.of(query.groups);
    return this.streams.open(selection, { groups: selection.groups });
  }
}
