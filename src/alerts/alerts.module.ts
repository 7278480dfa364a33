import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { HubModule } from '../hub/hub.module.js';
import { AlertsController } from './alerts.controller.js';
import { alertsConfig } from './alerts.config.js';
import { AlertsService } from './alerts.service.js';
import { AlertsTelemetry } from './alerts-telemetry.js';

/** Threshold rules: a consumer of the hub's samples and a producer of its alert events. */
@Module({
  imports: [HubModule, ConfigModule.forFeature(alertsConfig)],
  controllers: [AlertsController],
  providers: [AlertsService, AlertsTelemetry],
})
export class AlertsModule {}
