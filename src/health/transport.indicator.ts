import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { transportConfig } from '../config/transport.config.js';
import { RedisFeedService } from '../transport/redis-feed.service.js';
import { RedisPublisherService } from '../transport/redis-publisher.service.js';

/** Readiness of the link to Redis: a gateway is unready without it; an agent only reports it. */
@Injectable()
export class TransportIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly publisher: RedisPublisherService,
    private readonly feed: RedisFeedService,
    @Inject(transportConfig.KEY) private readonly config: ConfigType<typeof transportConfig>,
  ) {}

  check(key: 'transport'): HealthIndicatorResult<'transport'> {
    const indicator = this.indicators.check(key);
    if (this.config.mode === 'standalone') {
      return indicator.up({ mode: 'standalone' });
    }
    const { ready, details } =
      this.config.mode === 'agent' ? this.publisher.health() : this.feed.health();
    return ready ? indicator.up(details) : indicator.down(details);
  }
}
