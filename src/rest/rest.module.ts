import { Module } from '@nestjs/common';
import { HubModule } from '../hub/hub.module.js';
import { MetricsController } from './metrics.controller.js';

/** GET /api/v1/metrics and its history: a consumer of the hub. */
@Module({
  imports: [HubModule],
  controllers: [MetricsController],
})
export class RestModule {}
