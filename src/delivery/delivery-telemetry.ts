import { Injectable, type OnModuleInit } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { Telemetry } from '../hub/telemetry.js';
import { DeliveryService } from './delivery.service.js';

/** Deliveries by receiver and result, and each receiver's queue depth, in /metrics. */
@Injectable()
export class DeliveryTelemetry implements OnModuleInit {
  constructor(
    private readonly delivery: DeliveryService,
    private readonly telemetry: Telemetry,
  ) {}

  onModuleInit(): void {
    const delivery = this.delivery;
    const reported = new Map<string, number>();
    new Counter({
      name: 'vitals_notifications_total',
      help: 'Alert changes delivered to each receiver, by result (sent, failed, dropped)',
      labelNames: ['receiver', 'result'],
      registers: [this.telemetry.registry],
      collect() {
        for (const [receiver, counts] of delivery.counts) {
          for (const [result, total] of Object.entries(counts)) {
            const key = `${receiver}\u0000${result}`;
            // inc by 0 too: every receiver has its series from the first scrape on.
            this.inc({ receiver, result }, total - (reported.get(key) ?? 0));
            reported.set(key, total);
          }
        }
      },
    });
    new Gauge({
      name: 'vitals_notification_queue',
      help: 'Alert changes waiting to be delivered to each receiver',
      labelNames: ['receiver'],
      registers: [this.telemetry.registry],
      collect() {
        for (const [receiver, queue] of delivery.queues) {
          this.set({ receiver }, queue.depth);
        }
      },
    });
    this.telemetry.reportReadiness('delivery', () => ({
      ready: true,
      details: {
        delivering: delivery.delivering,
        receivers: Object.fromEntries(
          [...delivery.queues].map(([receiver, queue]) => [
            receiver,
            { queued: queue.depth, ...delivery.counts.get(receiver) },
          ]),
        ),
      },
    }));
  }
}
