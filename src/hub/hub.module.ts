import { Module } from '@nestjs/common';
import { ArchivePort } from './archive-port.js';
import { DeliveryLeasePort } from './delivery-lease.port.js';
import { Audience } from './audience.js';
import { SampleHubService } from './sample-hub.service.js';
import { Telemetry } from './telemetry.js';

/**
 * The core every room plugs into: the hub that producers publish to and consumers read from,
 * the open-stream count, the telemetry each room reports, and the port an archive plugs into. It imports no room.
 */
@Module({
  providers: [SampleHubService, Audience, Telemetry, ArchivePort, DeliveryLeasePort],
  exports: [SampleHubService, Audience, Telemetry, ArchivePort, DeliveryLeasePort],
})
export class HubModule {}
