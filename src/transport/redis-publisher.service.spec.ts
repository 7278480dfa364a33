import { Test } from '@nestjs/testing';
import { Redis } from 'ioredis';
import { sampleReading } from '../../test/helpers/readings.js';
import { ThrowawayRedis } from '../../test/helpers/redis.js';
import { streamConfig } from '../config/stream.config.js';
import { transportConfig } from '../config/transport.config.js';
import { SampleHubService } from '../stream/sample-hub.service.js';
import { RedisPublisherService } from './redis-publisher.service.js';

const STREAM = 'vitals:events';

describe('RedisPublisherService (an agent) against a real redis-server', () => {
  let redis: ThrowawayRedis;
  let hub: SampleHubService;
  let publisher: RedisPublisherService;

  const start = async (agentBuffer: number) => {
    const moduleRef = await Test.createTestingModule({
      providers: [
        SampleHubService,
        RedisPublisherService,
        { provide: streamConfig.KEY, useValue: { history: 100, remoteIds: false } },
        {
          provide: transportConfig.KEY,
          useValue: {
            mode: 'agent',
            redisUrl: redis.url,
            stream: STREAM,
            maxLength: 1000,
            agentBuffer,
          },
        },
      ],
    }).compile();
    await moduleRef.init();
    hub = moduleRef.get(SampleHubService);
    publisher = moduleRef.get(RedisPublisherService);
    return moduleRef;
  };
  const published = async (): Promise<number[]> => {
    const client = new Redis(redis.url);
    const entries = await client.xrange(STREAM, '-', '+');
    client.disconnect();
    return entries.map(([, fields]) => (JSON.parse(fields[5]!) as { id: number }).id);
  };
  const until = async (done: () => boolean | Promise<boolean>) => {
    for (let i = 0; i < 200 && !(await done()); i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };

  beforeEach(async () => {
    redis = await ThrowawayRedis.start();
  });

  afterEach(async () => {
    await redis.stop();
  });

  it('should append every event the hub publishes, in order', async () => {
    const moduleRef = await start(10);
    await until(() => publisher.health().details.redis === 'connected');

    const ids = [1, 2, 3].map(() => hub.publish(sampleReading()).id);
    await until(async () => (await published()).length === 3);

    expect(await published()).toEqual(ids);
    expect(publisher.stats).toEqual({ published: 3, dropped: 0, buffered: 0 });
    await moduleRef.close();
  });

  it('should keep the newest events in a bounded buffer while Redis is away, and send them in order once it is back', async () => {
    const moduleRef = await start(3);
    await until(() => publisher.health().details.redis === 'connected');
    await redis.stop();
    await until(() => publisher.health().details.redis === 'unreachable');

    const ids = [1, 2, 3, 4, 5].map(() => hub.publish(sampleReading()).id);

    expect(publisher.stats).toEqual({ published: 0, dropped: 2, buffered: 3 });
    expect(publisher.health()).toMatchObject({ ready: true, details: { redis: 'unreachable' } });
    await redis.start();
    await until(() => publisher.stats.buffered === 0);
    expect(await published()).toEqual(ids.slice(2));
    expect(publisher.stats).toEqual({ published: 3, dropped: 2, buffered: 0 });
    await moduleRef.close();
  });
});
