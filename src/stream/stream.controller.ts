import { Controller, Get, Headers, Ip, Query, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiExtraModels,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiServiceUnavailableResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { ApiProtected } from '../common/api-protected.decorator.js';
import type { Request, Response } from 'express';
import { ErrorResponseDto } from '../common/dto/error-response.dto.js';
import { StreamQueryDto } from './dto/stream-query.dto.js';
import { GroupSelection } from '../hub/group-selection.js';
import { readLastEventId } from './last-event-id.js';
import { RETRY_MS, SampleStreamService } from './sample-stream.service.js';

const EXAMPLE = [
  'event: meta',
  'id: 1795524273659',
  `retry: ${RETRY_MS}`,
  'data: {"host":"web-1","intervalMs":1000,"every":1000,"heartbeatMs":15000,"groups":["cpu","memory"],"replay":true,"retained":{"oldest":1795524270001,"newest":1795524273660}}',
  '',
  'event: sample',
  'id: 1795524273660',
  'data: {"id":1795524273660,"timestamp":"2026-11-24T11:00:00.000Z","host":"web-1","cpu":{…}}',
  '',
  ': ping',
  '',
].join('\n');

const JSON_ERROR = {
  'application/json': { schema: { $ref: getSchemaPath(ErrorResponseDto) } },
};

@ApiTags('stream')
@ApiExtraModels(ErrorResponseDto)
@ApiProtected()
@Controller('api/v1')
export class StreamController {
  constructor(private readonly streams: SampleStreamService) {}

  // A plain GET whose handler writes the stream itself, not an @Sse Observable. Guards and pipes
  // have run by then, so a bad query is still a JSON 400, but the per-tick path is one write()
  // per subscriber of a frame serialized once, instead of Nest's per-message pipeline. Measured
  // in one run (bench/RESULTS.md, fanout; README "Why the stream does not use @Sse"):
  //   1,000 subscribers: vitals 4.1 % of a core, p99 57 ms, 173 MiB; @Sse over the same hub
  //   7.1 %, 121 ms, 196 MiB; the floor (one write per socket) 1.5 %, 34 ms, 73 MiB.
  //   10,000: vitals 23.2 %, 298 ms, 397 MiB; @Sse 69.1 %, 1,094 ms, 1,384 MiB; the floor
  //   16.0 %, 236 ms, 162 MiB.
  @Get('stream')
  @ApiOperation({
    summary: 'Live samples over Server-Sent Events',
    description:
      'Sends a `meta` frame (effective settings and the retained id range) at once, the alerts ' +
      'active now (`alert` frames without an id), then the latest sample, then one `sample` ' +
      'event per tick (or per `every`), each with `id:` from the stream sequence. Each change ' +
      'of an alert (warning, critical, resolved) is an `alert` event in the same sequence, ' +
      'whatever `groups=` says (`alerts=false` leaves them out). With `Last-Event-ID` (or `lastEventId=`) it first replays every ' +
      'retained event after that id, preceded by a `gap` frame `{from, to}` if some are gone. ' +
      'On a gateway, ids are Redis Stream ids (`1795524273660-0`), valid on every replica, and ' +
      'a resume beyond what the gateway holds in memory is read from Redis; `host=` selects ' +
      'hosts. A `hosts` frame without an id, `{hosts: [...]}` as /api/v1/hosts, comes whenever ' +
      'a host appears, goes stale, comes back or is forgotten (VITALS_HOST_TTL). ' +
      'A `: ping` comment goes out when nothing else did for VITALS_HEARTBEAT_MS. Event payloads ' +
      'are described in the AsyncAPI document at /asyncapi.json.',
  })
  @ApiProduces('text/event-stream')
  @ApiHeader({
    name: 'last-event-id',
    required: false,
    description: 'Resume after this event id (EventSource sends it when it reconnects)',
  })
  @ApiOkResponse({
    description: 'An endless event stream',
    content: { 'text/event-stream': { schema: { type: 'string', example: EXAMPLE } } },
  })
  @ApiBadRequestResponse({
    description:
      'Invalid query or Last-Event-ID (code INVALID_QUERY): unknown group, `every` not a ' +
      'multiple of the interval, an id that is not a number or is ahead of the stream',
    content: JSON_ERROR,
  })
  @ApiServiceUnavailableResponse({
    description: 'VITALS_MAX_SUBSCRIBERS streams are open (code TOO_MANY_SUBSCRIBERS)',
    content: JSON_ERROR,
  })
  stream(
    @Query() query: StreamQueryDto,
    @Headers('last-event-id') lastEventIdHeader: string | undefined,
    @Req() request: Request,
    @Res() response: Response,
    @Ip() clientIp: string,
  ): void {
    const selection = GroupSelection.of(query.groups);
    const header = readLastEventId(lastEventIdHeader);
    this.streams.open(
      {
        projection: selection,
        groups: selection.groups,
        every: query.every,
        replay: query.replay,
        alerts: query.alerts,
        clientIp,
        hosts: query.host ? new Set(query.host) : undefined,
        lastEventId: header ?? query.lastEventId,
        lastEventIdSource: header === undefined ? 'lastEventId' : 'Last-Event-ID',
      },
      request,
      response,
    );
  }
}
