import { Controller, Get, Ip, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiProtected } from '../common/api-protected.decorator.js';
import type { Request, Response } from 'express';
import { DEMO_PROJECTION } from '../hub/demo-projection.js';
import { SampleStreamService } from './sample-stream.service.js';

/** The original sse-stream demo's route, kept so pages written for it work unchanged. */
@ApiTags('stream')
@ApiProtected()
@Controller()
export class SeedCompatController {
  constructor(private readonly streams: SampleStreamService) {}

  @Get('stream')
  @ApiOperation({
    summary: 'The original demo stream: {"cpu", "ram"} percentages',
    description:
      'Unnamed events (read them with `onmessage`) whose data is `{"cpu": <usage %>, "ram": ' +
      '<memory usage %>}`, one per tick, from the same shared sampler as /api/v1/stream.',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({
    description: 'An endless event stream',
    content: {
      'text/event-stream': {
        schema: { type: 'string', example: 'id: 1795524273660\ndata: {"cpu":12.5,"ram":41.02}\n' },
      },
    },
  })
  demo(@Req() request: Request, @Res() response: Response, @Ip() clientIp: string): void {
    this.streams.open({ projection: DEMO_PROJECTION, alerts: false, clientIp }, request, response);
  }
}
