import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Subscription } from 'rxjs';
import { ELEMENT_LABELS } from '../alerts/metric-path.js';
import { SampleHubService } from '../stream/sample-hub.service.js';
import { SampleStreamService } from '../stream/sample-stream.service.js';
import { RedisFeedService } from '../transport/redis-feed.service.js';
import { MetricsService } from './metrics.service.js';
import { HOST_GAUGES } from './host-gauges.js';
import { SampleGauge } from './sample-gauge.js';

// prom-client's defaults that promtool rejects: gauges named like counters.
const LINT_FAILING_DEFAULTS = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
];

/**
 * The Prometheus exposition: host gauges read from the hub's latest sample at scrape time (a
 * scrape never samples), the service's own counters and histograms, and prom-client's process
 * defaults.
 */
@Injectable()
export class PrometheusService implements OnModuleDestroy {
  readonly registry = new Registry();
  private readonly readsSubscription: Subscription;

  constructor(
    hub: SampleHubService,
    streams: SampleStreamService,
    sampler: MetricsService,
    feed: RedisFeedService,
  ) {
    // Its event-loop monitor wakes the process every `precision` ms; at the default 10 ms that
    // alone cost more idle CPU than sampling. 100 ms still gives hundreds of points per scrape.
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 100 });
    LINT_FAILING_DEFAULTS.forEach((name) => this.registry.removeSingleMetric(name));
    for (const [name, help, fill] of HOST_GAUGES) {
      const gauge = new SampleGauge(name, help, () => hub.latestSamples(), fill);
      this.registry.registerMetric(gauge.asMetric());
    }
    new Gauge({
      name: 'vitals_subscribers',
      help: 'Open streams',
      registers: [this.registry],
      collect() {
        this.set(streams.subscribers);
      },
    });
    new Gauge({
      name: 'vitals_alert_active',
      help: 'Alerts in warning or critical now (1 per alert; the list element in its labels)',
      labelNames: ['rule', 'severity', 'metric', 'host', ...ELEMENT_LABELS],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const { alert } of hub.activeAlerts) {
          const { rule, severity, metric, host, labels } = alert;
          // Only the label names declared: prom-client throws on any other, and one agent's
          // alert (a newer version's label) must not fail the whole scrape.
          const element = Object.fromEntries(
            ELEMENT_LABELS.flatMap((name) =>
              Object.hasOwn(labels, name) ? [[name, labels[name]]] : [],
            ),
          );
          this.set({ ...element, rule, severity, metric, host }, 1);
        }
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
      [
        'vitals_transport_rejected_entries_total',
        'Redis Stream entries a gateway left out: not a valid sample or alert',
        () => feed.stats.rejected,
      ],
      [
        'vitals_transport_repeated_entries_total',
        "Redis Stream entries a gateway left out as an agent's re-send of one it had",
        () => feed.stats.repeated,
      ],
      [
        'vitals_hub_subscriber_errors_total',
        'Exceptions thrown by consumers of the event hub (contained, logged)',
        () => hub.subscriberErrors,
      ],
      ['vitals_samples_total', 'Samples published', () => sampler.stats.samples],
      [
        'vitals_sampler_failed_ticks_total',
        'Ticks that produced no sample',
        () => sampler.stats.failedTicks,
      ],
      [
        'vitals_sampler_skipped_ticks_total',
        'Ticks skipped because the previous one still ran',
        () => sampler.stats.skippedTicks,
      ],
    ];
    for (const [name, help, read] of counters) {
      let reported = 0;
      new Counter({
        name,
        help,
        registers: [this.registry],
        // The service keeps the running totals; the counter catches up at each scrape.
        collect() {
          const total = read();
          if (total > reported) {
            this.inc(total - reported);
            reported = total;
          }
        },
      });
    }
    const reportedFailures = new Map<string, number>();
    new Counter({
      name: 'vitals_sampler_group_failures_total',
      help: 'Failed reads per group (a failed group is null; a slow one keeps its last value)',
      labelNames: ['group'],
      registers: [this.registry],
      collect() {
        for (const [group, total] of Object.entries(sampler.stats.groupFailures)) {
          const reported = reportedFailures.get(group) ?? 0;
          // inc by 0 too: every group has a series from the first scrape on.
          this.inc({ group }, total - reported);
          reportedFailures.set(group, total);
        }
      },
    });
    const tick = new Histogram({
      name: 'vitals_sampler_tick_duration_seconds',
      help: 'Time to take and publish one sample',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers: [this.registry],
    });
    const groups = new Histogram({
      name: 'vitals_sampler_group_duration_seconds',
      help: 'Time to read one group of the sample',
      labelNames: ['group'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers: [this.registry],
    });
    this.readsSubscription = sampler.reads.subscribe(({ group, seconds }) =>
      group === 'tick' ? tick.observe(seconds) : groups.observe({ group }, seconds),
    );
  }

  onModuleDestroy(): void {
    this.readsSubscription.unsubscribe();
  }

  async scrape(): Promise<string> {
    return this.registry.metrics();
  }
}
