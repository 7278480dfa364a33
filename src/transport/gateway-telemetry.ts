import { Injectable, OnModuleInit } from '@nestjs/common';
import { ArchivePort } from '../hub/archive-port.js';
import { DeliveryLeasePort } from '../hub/delivery-lease.port.js';
import { Telemetry } from '../hub/telemetry.js';
import { RedisArchiveService } from './redis-archive.service.js';
import { RedisDeliveryLease } from './redis-delivery-lease.service.js';
import { RedisFeedService } from './redis-feed.service.js';

/**
 * A gateway's transport as the core sees it: the Redis Stream attached as the archive resumes
 * read from, the feed's counters, and readiness (unready while Redis is unreachable).
 */
@Injectable()
export class GatewayTelemetry implements OnModuleInit {
  constructor(
    private readonly feed: RedisFeedService,
    private readonly archive: RedisArchiveService,
    private readonly archives: ArchivePort,
    private readonly telemetry: Telemetry,
    private readonly lease: RedisDeliveryLease,
    private readonly leases: DeliveryLeasePort,
  ) {}

  onModuleInit(): void {
    const { feed, archive } = this;
    // A facade, not the service itself: the stream needs only the one method.
    this.archives.attach({
      readAfter: (after, before, limit) => archive.readAfter(after, before, limit),
    });
    // Replicas share one lease: only its holder delivers alerts.
    const lease = this.lease;
    this.leases.attach({
      get holder() {
        return lease.holder;
      },
    });
    this.telemetry.countTotal(
      'vitals_transport_rejected_entries_total',
      'Redis Stream entries a gateway left out: not a valid sample or alert',
      () => feed.stats.rejected,
    );
    this.telemetry.countTotal(
      'vitals_transport_repeated_entries_total',
      "Redis Stream entries a gateway left out as an agent's re-send of one it had",
      () => feed.stats.repeated,
    );
    this.telemetry.reportReadiness('transport', () => feed.health());
  }
}
