import { eventually } from '../../test/helpers/eventually.js';
import { Test, type TestingModule } from '@nestjs/testing';
import { Redis } from 'ioredis';
import { appendSamples, ThrowawayRedis } from '../../test/helpers/redis.js';
import { streamConfig } from '../config/stream.config.js';
import { transportConfig } from '../config/transport.config.js';
import { SampleHubService } from '../hub/sample-hub.service.js';
import { RedisFeedService } from './redis-feed.service.js';
import { RedisStreamRepository } from './redis-stream.repository.js';

const STREAM = 'vitals:events';

describe('RedisFeedService (a gateway) against a real redis-server', () => {
  let redis: ThrowawayRedis;
  let client: Redis;
  let moduleRef: TestingModule;
  let hub: SampleHubService;
  let feed: RedisFeedService;

  const append = (count: number, host?: string) => appendSamples(client, STREAM, count, host);
  const until = (done: () => boolean | Promise<boolean>) => eventually(done, 5000, 25);

  beforeEach(async () => {
    redis = await ThrowawayRedis.start();
    client = new Redis(redis.url);
    moduleRef = await Test.createTestingModule({
      providers: [
        SampleHubService,
        RedisFeedService,
        RedisStreamRepository,
        { provide: streamConfig.KEY, useValue: { history: 100, remoteIds: true } },
        {
          provide: transportConfig.KEY,
          useValue: { mode: 'gateway', redisUrl: redis.url, stream: STREAM },
        },
      ],
    }).compile();
    hub = moduleRef.get(SampleHubService);
    feed = moduleRef.get(RedisFeedService);
  });

  afterEach(async () => {
    await moduleRef.close();
    client.disconnect();
    await redis.stop();
  });

  it('should load what the stream holds, then feed the hub each new entry under its Redis id', async () => {
    const before = await append(3);
    await moduleRef.init();
    await until(() => feed.health().ready);
    const after = await append(2, 'web-2');
    // Both new entries, not only the first of the new host's.
    await until(() => hub.hosts().some((host) => host.lastId === after[1]));

    expect(hub.history(undefined, 10).map((event) => event.eventId)).toEqual([...before, ...after]);
    expect(hub.hosts().map((host) => [host.name, host.lastId])).toEqual([
      ['web-1', before[2]],
      ['web-2', after[1]],
    ]);
    expect(feed.health()).toMatchObject({ ready: true, details: { redis: 'connected' } });
  });

  it('should report not ready while Redis is away and read on after its last entry once it is back', async () => {
    await append(2);
    await moduleRef.init();
    await until(() => feed.health().ready);

    await redis.stop();
    await until(() => !feed.health().ready);
    const down = feed.health();
    await redis.start();
    client.disconnect();
    client = new Redis(redis.url);
    // The restarted Redis kept nothing: newer ids than any the gateway took, all the same.
    const after = await append(2, 'web-3');
    // The feed's backoff may have grown to seconds while Redis was away.
    await eventually(() => hub.hosts().some((host) => host.lastId === after[1]), 15000, 25);

    expect(down).toMatchObject({ ready: false, details: { redis: 'unreachable' } });
    expect(
      hub
        .history(undefined, 10)
        .slice(-2)
        .map((event) => event.eventId),
    ).toEqual(after);
    expect(feed.health().ready).toBe(true);
  });
});
