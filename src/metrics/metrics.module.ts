import { Module } from '@nestjs/common';
import { StreamModule } from '../stream/stream.module.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsService } from './metrics.service.js';
import { PrometheusController } from './prometheus.controller.js';
import { PrometheusService } from './prometheus.service.js';
import { SelfMonitor } from './self.monitor.js';
import { SystemInfoClient } from './system-info.client.js';

@Module({
  imports: [StreamModule],
  controllers: [MetricsController, PrometheusController],
  providers: [SystemInfoClient, SelfMonitor, MetricsService, PrometheusService],
  exports: [MetricsService],
})
export class MetricsModule {}
