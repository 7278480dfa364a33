import { Injectable, OnModuleInit } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { Audience } from '../hub/audience.js';
import { Telemetry } from '../hub/telemetry.js';
import { SampleStreamService } from './sample-stream.service.js';

/** What the stream room reports: the open-stream count, its counters and its readiness entry. */
@Injectable()
export class StreamTelemetry implements OnModuleInit {
  constructor(
    private readonly streams: SampleStreamService,
    private readonly audience: Audience,
    private readonly telemetry: Telemetry,
  ) {}

  onModuleInit(): void {
    const streams = this.streams;
    this.audience.countWith(() => streams.subscribers);
    new Gauge({
      name: 'vitals_subscribers',
      help: 'Open streams',
      registers: [this.telemetry.registry],
      collect() {
        this.set(streams.subscribers);
      },
    });
    const counters: Array<[string, string, () => number]> = [
      [
        'vitals_stream_events_sent_total',
        'Events sent to subscribers',
        () => streams.stats.eventsSent,
      ],
      ['vitals_stream_opened_total', 'Streams opened', () => streams.stats.opened],
      [
        'vitals_stream_dropped_total',
        'Subscribers disconnected for falling too far behind',
        () => streams.stats.dropped,
      ],
      [
        'vitals_stream_rejected_total',
        'Streams refused over VITALS_MAX_SUBSCRIBERS',
        () => streams.stats.rejected,
      ],
    ];
    counters.forEach(([name, help, read]) => this.telemetry.countTotal(name, help, read));
    // Informational: streams never make the service unready.
    this.telemetry.reportReadiness('streams', () => ({
      ready: true,
      details: { ...streams.stats },
    }));
  }
}
