import { Global, Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { transportConfig } from '../config/transport.config.js';
import { EVENT_ARCHIVE, type EventArchive } from '../stream/event-archive.js';
import { StreamModule } from '../stream/stream.module.js';
import { RedisArchiveService } from './redis-archive.service.js';
import { RedisFeedService } from './redis-feed.service.js';
import { RedisPublisherService } from './redis-publisher.service.js';

/**
 * The link between processes, chosen by VITALS_MODE: nothing in standalone, the publisher in an
 * agent, the feed and the archive in a gateway. The stream, REST and alert code only see the hub,
 * and the archive through its interface. Global, so the stream module can take the archive
 * without importing this module back.
 */
@Global()
@Module({
  imports: [StreamModule],
  providers: [
    RedisPublisherService,
    RedisFeedService,
    RedisArchiveService,
    {
      provide: EVENT_ARCHIVE,
      inject: [transportConfig.KEY, RedisArchiveService],
      // A facade, not the service itself: Nest would run its lifecycle hooks twice.
      useFactory: (
        config: ConfigType<typeof transportConfig>,
        archive: RedisArchiveService,
      ): EventArchive | null =>
        config.mode === 'gateway'
          ? { readAfter: (after, before, limit) => archive.readAfter(after, before, limit) }
          : null,
    },
  ],
  exports: [EVENT_ARCHIVE, RedisPublisherService, RedisFeedService],
})
export class TransportModule {}
