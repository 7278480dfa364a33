import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiProtected } from '../common/api-protected.decorator.js';
import { PrometheusService } from './prometheus.service.js';

@ApiTags('metrics')
@ApiProtected()
@Controller('metrics')
export class PrometheusController {
  constructor(private readonly prometheus: PrometheusService) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Prometheus metrics',
    description:
      'Text exposition of the latest sample (node_exporter-style names: `_bytes`, `_ratio`, ' +
      "`_seconds`), the service's own counters and histograms, and process metrics. A scrape " +
      'reads the latest sample; it never takes one.',
  })
  @ApiProduces('text/plain')
  @ApiOkResponse({
    description: 'Prometheus text format 0.0.4',
    content: {
      'text/plain': {
        schema: {
          type: 'string',
          example:
            '# HELP vitals_cpu_usage_ratio CPU busy share\n# TYPE vitals_cpu_usage_ratio gauge\nvitals_cpu_usage_ratio 0.125\n',
        },
      },
    },
  })
  scrape(): Promise<string> {
    return this.prometheus.scrape();
  }
}
