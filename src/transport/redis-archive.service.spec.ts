import { Test, type TestingModule } from '@nestjs/testing';
import { Redis } from 'ioredis';
import { appendSamples, ThrowawayRedis } from '../../test/helpers/redis.js';
import { transportConfig } from '../config/transport.config.js';
import { RedisArchiveService } from './redis-archive.service.js';
import { RedisStreamRepository } from './redis-stream.repository.js';

const STREAM = 'vitals:events';

describe('RedisArchiveService (a gateway) against a real redis-server', () => {
  let redis: ThrowawayRedis;
  let client: Redis;
  let moduleRef: TestingModule;
  let archive: RedisArchiveService;

  beforeEach(async () => {
    redis = await ThrowawayRedis.start();
    client = new Redis(redis.url);
    moduleRef = await Test.createTestingModule({
      providers: [
        RedisArchiveService,
        RedisStreamRepository,
        {
          provide: transportConfig.KEY,
          useValue: { mode: 'gateway', redisUrl: redis.url, stream: STREAM },
        },
      ],
    }).compile();
    await moduleRef.init();
    archive = moduleRef.get(RedisArchiveService);
  });

  afterEach(async () => {
    await moduleRef.close();
    client.disconnect();
    await redis.stop();
  });

  it('should page through the stream after an id, up to another', async () => {
    const ids = await appendSamples(client, STREAM, 30);

    const page = await archive.readAfter(ids[10]!, ids[20], 5);
    const last = await archive.readAfter(ids[17]!, ids[20], 5);

    expect(page.events.map((event) => event.eventId)).toEqual(ids.slice(11, 16));
    expect(page).toMatchObject({ lastId: ids[15], exhausted: false });
    expect(last.events.map((event) => event.eventId)).toEqual(ids.slice(18, 20));
    expect(last.exhausted).toBe(true);
    expect([page.missingUntil, last.missingUntil]).toEqual([undefined, undefined]);
  });

  it('should say when trimming took what came after the id, and from where the stream goes on', async () => {
    const ids = await appendSamples(client, STREAM, 300, 'web-1', 100);

    const kept = await archive.readAfter(ids[250]!, undefined, 5);
    const trimmed = await archive.readAfter(ids[10]!, undefined, 5);

    expect(kept.missingUntil).toBeUndefined();
    expect(trimmed.events.map((event) => event.eventId)).toEqual(ids.slice(200, 205));
    expect(trimmed.missingUntil).toBe(ids[200]);
  });

  it('should pass over entries that are not vitals events without losing its place', async () => {
    const [first] = await appendSamples(client, STREAM, 1);
    const foreign = await client.xadd(STREAM, '*', 'something', 'else');
    const [last] = await appendSamples(client, STREAM, 1);

    const page = await archive.readAfter(first!, undefined, 5);

    expect(page.events.map((event) => event.eventId)).toEqual([last]);
    expect(foreign).not.toBe(last);
    expect(page.lastId).toBe(last);
  });
});
