import { Module } from '@nestjs/common';
import { StreamModule } from '../stream/stream.module.js';
import { AlertsController } from './alerts.controller.js';
import { AlertsService } from './alerts.service.js';

@Module({
  imports: [StreamModule],
  controllers: [AlertsController],
  providers: [AlertsService],
})
export class AlertsModule {}
