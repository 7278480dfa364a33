import type { DeliveryRecord } from './receiver-queue.js';

/** Deliveries kept for `GET /api/v1/alerts/deliveries`. */
export const DELIVERY_LOG_SIZE = 200;

/** The recent deliveries of every receiver, newest first, bounded. */
export class DeliveryLog {
  private readonly records: DeliveryRecord[] = [];

  constructor(private readonly size = DELIVERY_LOG_SIZE) {}

  add(record: DeliveryRecord): void {
    this.records.unshift(record);
    if (this.records.length > this.size) {
      this.records.length = this.size;
    }
  }

  /** Newest first. */
  recent(): readonly DeliveryRecord[] {
    return this.records;
  }
}
