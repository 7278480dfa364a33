import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { SampleStreamService } from '../stream/sample-stream.service.js';

/** Reports the streams' counters; informational, never makes the service unready. */
@Injectable()
export class StreamsIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly streams: SampleStreamService,
  ) {}

  check(key: 'streams'): HealthIndicatorResult<'streams'> {
    return this.indicators.check(key).up({ ...this.streams.stats });
  }
}
