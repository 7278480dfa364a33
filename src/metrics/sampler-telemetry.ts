import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { Counter, Histogram } from 'prom-client';
import type { Subscription } from 'rxjs';
import { samplerConfig } from '../config/sampler.config.js';
import { SampleHubService } from '../hub/sample-hub.service.js';
import { Telemetry } from '../hub/telemetry.js';
import { MetricsService } from './metrics.service.js';

// Ready means the latest sample is younger than this many ticks.
const MAX_AGE_TICKS = 3;

/**
 * What the sampler reports: its counters and durations for /metrics, and readiness: the
 * latest sample is younger than three intervals (a gateway samples nothing and is always ready
 * as far as sampling goes).
 */
@Injectable()
export class SamplerTelemetry implements OnModuleInit, OnModuleDestroy {
  private reads: Subscription | undefined;

  constructor(
    private readonly sampler: MetricsService,
    private readonly hub: SampleHubService,
    private readonly telemetry: Telemetry,
    @Inject(samplerConfig.KEY) private readonly config: ConfigType<typeof samplerConfig>,
  ) {}

  onModuleInit(): void {
    const { sampler, telemetry } = this;
    telemetry.countTotal('vitals_samples_total', 'Samples published', () => sampler.stats.samples);
    telemetry.countTotal(
      'vitals_sampler_failed_ticks_total',
      'Ticks that produced no sample',
      () => sampler.stats.failedTicks,
    );
    telemetry.countTotal(
      'vitals_sampler_skipped_ticks_total',
      'Ticks skipped because the previous one still ran',
      () => sampler.stats.skippedTicks,
    );
    const reportedFailures = new Map<string, number>();
    new Counter({
      name: 'vitals_sampler_group_failures_total',
      help: 'Failed reads per group (a failed group is null; a slow one keeps its last value)',
      labelNames: ['group'],
      registers: [telemetry.registry],
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
      registers: [telemetry.registry],
    });
    const groups = new Histogram({
      name: 'vitals_sampler_group_duration_seconds',
      help: 'Time to read one group of the sample',
      labelNames: ['group'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers: [telemetry.registry],
    });
    this.reads = sampler.reads.subscribe(({ group, seconds }) =>
      group === 'tick' ? tick.observe(seconds) : groups.observe({ group }, seconds),
    );
    telemetry.reportReadiness('sampler', () => this.readiness());
  }

  onModuleDestroy(): void {
    this.reads?.unsubscribe();
  }

  private readiness(): { ready: boolean; details: Record<string, unknown> } {
    if (!this.config.enabled) {
      // A gateway samples nothing itself; its hosts' ages are in GET /api/v1/hosts.
      return { ready: true, details: { sampling: false, hosts: this.hub.hosts().length } };
    }
    const maxAgeMs = MAX_AGE_TICKS * this.config.intervalMs;
    const ageMs = this.hub.latestAgeMs();
    const details = { intervalMs: this.config.intervalMs, maxAgeMs, ...this.sampler.stats };
    if (ageMs === undefined) {
      return { ready: false, details: { ...details, message: 'No sample has been taken yet' } };
    }
    const fresh = { ...details, lastSampleId: this.hub.newestId, ageMs: Math.round(ageMs) };
    return ageMs < maxAgeMs
      ? { ready: true, details: fresh }
      : {
          ready: false,
          details: { ...fresh, message: `The latest sample is ${Math.round(ageMs)} ms old` },
        };
  }
}
