import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { HubModule } from '../hub/hub.module.js';
import { DeliveriesController } from './deliveries.controller.js';
import { deliveryConfig } from './delivery.config.js';
import { DELIVERY_SEND, DeliveryService } from './delivery.service.js';
import { DeliveryTelemetry } from './delivery-telemetry.js';
import { fetchSend } from './receiver-queue.js';

/** Alert delivery: a consumer of the hub's alert events, sending them where people are. */
@Module({
  imports: [HubModule, ConfigModule.forFeature(deliveryConfig)],
  controllers: [DeliveriesController],
  providers: [DeliveryService, DeliveryTelemetry, { provide: DELIVERY_SEND, useValue: fetchSend }],
})
export class DeliveryModule {}
