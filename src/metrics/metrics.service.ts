import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { SchedulerRegistry } from '@nestjs/schedule';
import { samplerConfig } from '../config/sampler.config.js';
import { SampleHubService } from '../stream/sample-hub.service.js';
import { SystemInfoClient } from './system-info.client.js';

const JOB = 'sampler';

/** Counters of the sampler's own troubles, for readiness and /metrics. */
export interface SamplerStats {
  samples: number;
  failedTicks: number;
  skippedTicks: number;
}

/**
 * The one sampler of the process: reads the host once per tick and publishes the result to the
 * hub. Requests never trigger a sample; a tick that fails is logged, counted and skipped, and a
 * tick that comes while the previous one still runs is skipped rather than overlapped.
 */
@Injectable()
export class MetricsService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(MetricsService.name);
  private running = false;
  private readonly counters: SamplerStats = { samples: 0, failedTicks: 0, skippedTicks: 0 };

  constructor(
    private readonly client: SystemInfoClient,
    private readonly hub: SampleHubService,
    private readonly scheduler: SchedulerRegistry,
    @Inject(samplerConfig.KEY) private readonly config: ConfigType<typeof samplerConfig>,
  ) {}

  get stats(): Readonly<SamplerStats> {
    return this.counters;
  }

  // Runs before the server listens: the first sample exists before the first request.
  async onApplicationBootstrap(): Promise<void> {
    await this.tick();
    this.scheduler.addInterval(
      JOB,
      setInterval(() => void this.tick(), this.config.intervalMs),
    );
    this.logger.log(`Sampling ${this.config.hostName} every ${this.config.intervalMs} ms`);
  }

  beforeApplicationShutdown(): void {
    if (this.scheduler.doesExist('interval', JOB)) {
      this.scheduler.deleteInterval(JOB);
    }
  }

  /** Takes one sample and publishes it, unless the previous one is still being taken. */
  async tick(): Promise<void> {
    if (this.running) {
      this.counters.skippedTicks++;
      this.logger.warn('Tick skipped: the previous sample is still being taken');
      return;
    }
    this.running = true;
    try {
      const reading = await this.client.read();
      this.hub.publish({
        timestamp: new Date().toISOString(),
        host: this.config.hostName,
        ...reading,
      });
      this.counters.samples++;
    } catch (error) {
      this.counters.failedTicks++;
      this.logger.warn(`Sample failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.running = false;
    }
  }
}
