import { ApiProperty } from '@nestjs/swagger';

/** What became of one alert change sent to one receiver. */
export class DeliveryRecordDto {
  /** The receiver's name in the alert rules file. */
  receiver!: string;
  /** The alert's rule; "(active alerts)" for a re-send of the active alerts to Alertmanager. */
  rule!: string;
  /** The alert's host; empty for a re-send of every host's. */
  host!: string;
  /** The change: warning, critical or resolved ("resend" for a re-send). */
  severity!: string;
  /** When it was sent, failed for good, or dropped (ISO 8601). */
  at!: string;
  @ApiProperty({ enum: ['sent', 'failed', 'dropped'] })
  result!: 'sent' | 'failed' | 'dropped';
  /** Attempts made; 0 when dropped before any. */
  attempts!: number;
  /** The last error (`HTTP 503`, `no answer in 5000 ms`, …); null when sent. */
  error!: string | null;
}
