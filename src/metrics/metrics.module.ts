import { Module } from '@nestjs/common';
import { HostModule } from '../host/host.module.js';
import { HubModule } from '../hub/hub.module.js';
import { MetricsService } from './metrics.service.js';
import { SamplerTelemetry } from './sampler-telemetry.js';
import { SelfMonitor } from './self.monitor.js';

/** The producer: the one scheduled sampler, reading the host and publishing to the hub. */
@Module({
  imports: [HubModule, HostModule],
  providers: [SelfMonitor, MetricsService, SamplerTelemetry],
})
export class MetricsModule {}
