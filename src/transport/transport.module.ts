import { type DynamicModule, type Provider, Module } from '@nestjs/common';
import type { Mode } from '../config/environment-variables.js';
import { HubModule } from '../hub/hub.module.js';
import { AgentTelemetry } from './agent-telemetry.js';
import { GatewayTelemetry } from './gateway-telemetry.js';
import { RedisArchiveService } from './redis-archive.service.js';
import { RedisDeliveryLease } from './redis-delivery-lease.service.js';
import { RedisFeedService } from './redis-feed.service.js';
import { RedisPublisherService } from './redis-publisher.service.js';
import { RedisStreamRepository } from './redis-stream.repository.js';
import { StandaloneTelemetry } from './standalone-telemetry.js';

const PROVIDERS: Record<Mode, Provider[]> = {
  // Nothing crosses processes: the transport only says so in readiness.
  standalone: [StandaloneTelemetry],
  // A consumer of the hub: every sample and alert goes to the Redis Stream.
  agent: [RedisStreamRepository, RedisPublisherService, AgentTelemetry],
  // A producer into the hub from the Redis Stream, and the archive resumes read from: each with
  // a Redis connection of its own (the repository is transient), as the feed's blocks in XREAD.
  gateway: [
    RedisStreamRepository,
    RedisFeedService,
    RedisArchiveService,
    RedisDeliveryLease,
    GatewayTelemetry,
  ],
};

/**
 * The link between processes, chosen once by VITALS_MODE: only the active mode's providers are
 * registered, each depending on the hub alone.
 */
@Module({})
export class TransportModule {
  static forRoot(mode: Mode): DynamicModule {
    return { module: TransportModule, imports: [HubModule], providers: PROVIDERS[mode] };
  }
}
