import { Module } from '@nestjs/common';
import { HubModule } from '../hub/hub.module.js';
import { PrometheusController } from './prometheus.controller.js';
import { PrometheusService } from './prometheus.service.js';

/** GET /metrics: a consumer of the hub and of what every room reports. */
@Module({
  imports: [HubModule],
  controllers: [PrometheusController],
  providers: [PrometheusService],
})
export class PrometheusModule {}
