import { Module } from '@nestjs/common';
import { StreamModule } from '../stream/stream.module.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsService } from './metrics.service.js';
import { SelfMonitor } from './self.monitor.js';
import { SystemInfoClient } from './system-info.client.js';

@Module({
  imports: [StreamModule],
  controllers: [MetricsController],
  providers: [SystemInfoClient, SelfMonitor, MetricsService],
  exports: [MetricsService],
})
export class MetricsModule {}
