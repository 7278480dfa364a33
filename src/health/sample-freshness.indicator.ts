import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { samplerConfig } from '../config/sampler.config.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { SampleHubService } from '../stream/sample-hub.service.js';

// Ready means the latest sample is younger than this many ticks.
const MAX_AGE_TICKS = 3;

@Injectable()
export class SampleFreshnessIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly hub: SampleHubService,
    private readonly sampler: MetricsService,
    @Inject(samplerConfig.KEY) private readonly config: ConfigType<typeof samplerConfig>,
  ) {}

  check(key: 'sampler'): HealthIndicatorResult<'sampler'> {
    const indicator = this.indicators.check(key);
    if (!this.config.enabled) {
      // A gateway samples nothing itself; its hosts' ages are in GET /api/v1/hosts.
      return indicator.up({ sampling: false, hosts: this.hub.hosts().length });
    }
    const maxAgeMs = MAX_AGE_TICKS * this.config.intervalMs;
    const ageMs = this.hub.latestAgeMs();
    const details = {
      intervalMs: this.config.intervalMs,
      maxAgeMs,
      ...this.sampler.stats,
    };
    if (ageMs === undefined) {
      return indicator.down({ ...details, message: 'No sample has been taken yet' });
    }
    const fresh = { ...details, lastSampleId: this.hub.newestId, ageMs: Math.round(ageMs) };
    return ageMs < maxAgeMs
      ? indicator.up(fresh)
      : indicator.down({ ...fresh, message: `The latest sample is ${Math.round(ageMs)} ms old` });
  }
}
