import { DeliveryRecordDto } from './delivery-record.dto.js';

/** `GET /api/v1/alerts/deliveries`. */
export class DeliveriesResponseDto {
  /** Newest first, the last 200. */
  deliveries!: DeliveryRecordDto[];
}
