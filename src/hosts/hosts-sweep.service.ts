import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { streamConfig } from '../config/stream.config.js';
import { formatDuration } from '../common/duration.js';
import { SampleHubService } from '../hub/sample-hub.service.js';

// Staleness is three intervals; sweeping every second (or every tick, when ticks are shorter)
// tells the stream within a second of it.
const MAX_SWEEP_MS = 1000;

/**
 * Ages the hub's hosts: once a second it marks the silent ones stale and forgets those silent
 * past VITALS_HOST_TTL, so that where pod names churn the list does not grow without end.
 * The hub tells the streams (`hosts` events) when anything changed.
 */
@Injectable()
export class HostsSweepService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(HostsSweepService.name);
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly hub: SampleHubService,
    @Inject(streamConfig.KEY) private readonly config: ConfigType<typeof streamConfig>,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.sweep(), Math.min(MAX_SWEEP_MS, this.config.intervalMs));
    this.timer.unref();
  }

  beforeApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  sweep(): void {
    for (const host of this.hub.sweepHosts()) {
      this.logger.log(
        `Forgot host ${host}: silent for more than ${formatDuration(this.config.hostTtlMs)} (VITALS_HOST_TTL)`,
      );
    }
  }
}
