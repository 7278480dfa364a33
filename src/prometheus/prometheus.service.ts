import { Injectable } from '@nestjs/common';
import { Gauge, type Registry, collectDefaultMetrics } from 'prom-client';
import { ELEMENT_LABELS } from '../hub/element-labels.js';
import { SampleHubService } from '../hub/sample-hub.service.js';
import { Telemetry } from '../hub/telemetry.js';
import { HOST_GAUGES } from './host-gauges.js';
import { SampleGauge } from './sample-gauge.js';

// prom-client's defaults that promtool rejects: gauges named like counters.
const LINT_FAILING_DEFAULTS = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
];
// prom-client's event-loop figures. Its histogram would be a second timer waking the process
// (at 100 ms, 0.07 % of a core idle, measured), and reading it at each scrape (stddev walks every
// bucket) was a fifth of a scrape's CPU: the sampler's own monitor (SelfMonitor) is the one, and
// vitals_event_loop_lag_seconds reports it. nodejs_eventloop_lag_seconds is kept, timed as
// prom-client times it.
const EVENT_LOOP_DEFAULTS = [
  'nodejs_eventloop_lag_seconds',
  'nodejs_eventloop_lag_min_seconds',
  'nodejs_eventloop_lag_max_seconds',
  'nodejs_eventloop_lag_mean_seconds',
  'nodejs_eventloop_lag_stddev_seconds',
  'nodejs_eventloop_lag_p50_seconds',
  'nodejs_eventloop_lag_p90_seconds',
  'nodejs_eventloop_lag_p99_seconds',
];
// The longest timer libuv takes: prom-client's monitor, which cannot be turned off alone, never
// wakes.
const NEVER_MS = 2 ** 31 - 1;

/**
 * The Prometheus exposition: host gauges read from the hub's latest sample at scrape time (a
 * scrape never samples), the active alerts, what every room reports in the shared telemetry
 * registry (its counters and histograms), and prom-client's process defaults.
 */
@Injectable()
export class PrometheusService {
  readonly registry: Registry;

  constructor(hub: SampleHubService, telemetry: Telemetry) {
    this.registry = telemetry.registry;
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: NEVER_MS });
    [...LINT_FAILING_DEFAULTS, ...EVENT_LOOP_DEFAULTS].forEach((name) =>
      this.registry.removeSingleMetric(name),
    );
    new Gauge({
      name: 'nodejs_eventloop_lag_seconds',
      help: 'Lag of event loop in seconds.',
      registers: [this.registry],
      // As prom-client: how long a setImmediate waits, reported at the next scrape.
      collect() {
        const start = performance.now();
        setImmediate(() => this.set((performance.now() - start) / 1000));
      },
    });
    for (const [name, help, fill] of HOST_GAUGES) {
      const gauge = new SampleGauge(name, help, () => hub.latestSamples(), fill);
      this.registry.registerMetric(gauge.asMetric());
    }
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
    telemetry.countTotal(
      'vitals_hub_subscriber_errors_total',
      'Exceptions thrown by consumers of the event hub (contained, logged)',
      () => hub.subscriberErrors,
    );
  }

  async scrape(): Promise<string> {
    return this.registry.metrics();
  }
}
