import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { MetricsModule } from '../metrics/metrics.module.js';
import { StreamModule } from '../stream/stream.module.js';
import { AlertsIndicator } from './alerts.indicator.js';
import { HealthController } from './health.controller.js';
import { SampleFreshnessIndicator } from './sample-freshness.indicator.js';
import { StreamsIndicator } from './streams.indicator.js';
import { TransportIndicator } from './transport.indicator.js';

@Module({
  imports: [TerminusModule.forRoot({ logger: false }), MetricsModule, StreamModule],
  controllers: [HealthController],
  providers: [SampleFreshnessIndicator, StreamsIndicator, AlertsIndicator, TransportIndicator],
})
export class HealthModule {}
