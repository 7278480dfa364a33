import { jest } from '@jest/globals';
import { eventually } from '../../test/helpers/eventually.js';
import { Test } from '@nestjs/testing';
import { Redis } from 'ioredis';
import { alertChange, sampleReading } from '../../test/helpers/readings.js';
import { ThrowawayRedis } from '../../test/helpers/redis.js';
import { samplerConfig } from '../config/sampler.config.js';
import { streamConfig } from '../config/stream.config.js';
import { alertKey } from '../hub/alert-event.js';
import { transportConfig } from '../config/transport.config.js';
import { SampleHubService } from '../hub/sample-hub.service.js';
import { RedisPublisherService } from './redis-publisher.service.js';
import { RedisStreamRepository } from './redis-stream.repository.js';

const STREAM = 'vitals:events';
const ALERTS = 'vitals:events:alerts';
const ALERT = alertChange();

describe('RedisPublisherService (an agent) against a real redis-server', () => {
  let redis: ThrowawayRedis;
  let hub: SampleHubService;
  let publisher: RedisPublisherService;

  const start = async (agentBuffer: number) => {
    const moduleRef = await Test.createTestingModule({
      providers: [
        SampleHubService,
        RedisPublisherService,
        RedisStreamRepository,
        { provide: streamConfig.KEY, useValue: { history: 100, remoteIds: false } },
        { provide: samplerConfig.KEY, useValue: { hostName: 'web-1' } },
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
  const withRedis = async <T>(use: (client: Redis) => Promise<T>): Promise<T> => {
    const client = new Redis(redis.url);
    try {
      return await use(client);
    } finally {
      client.disconnect();
    }
  };
  const published = async (): Promise<number[]> =>
    (await withRedis((c) => c.xrange(STREAM, '-', '+'))).map(
      ([, fields]) => (JSON.parse(fields[5]!) as { id: number }).id,
    );
  const until = (done: () => boolean | Promise<boolean>) => eventually(done, 5000, 25);

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

  it('should send an entry again with the same idempotency key when the reply to its batch was lost', async () => {
    const moduleRef = await start(10);
    await until(() => publisher.health().details.redis === 'connected');
    // Redis applies the batch, but its reply never arrives (a dropped connection, a timeout).
    const pipeline = Redis.prototype.pipeline;
    jest.spyOn(Redis.prototype, 'pipeline').mockImplementationOnce(function (this: Redis) {
      const batch = pipeline.call(this);
      const exec = batch.exec.bind(batch);
      batch.exec = async () => {
        await exec();
        throw new Error('Connection is closed.');
      };
      return batch;
    });

    hub.publish(sampleReading());
    await until(async () => (await withRedis((c) => c.xlen(STREAM))) === 1);
    hub.publish(sampleReading());
    await until(async () => (await withRedis((c) => c.xlen(STREAM))) === 3);

    const keys = (await withRedis((c) => c.xrange(STREAM, '-', '+'))).map(([, fields]) =>
      fields.slice(6).join(' '),
    );
    expect(keys).toEqual([
      `run ${publisher.runId} seq 1`,
      `run ${publisher.runId} seq 1`,
      `run ${publisher.runId} seq 2`,
    ]);
    await moduleRef.close();
  });

  it("should resolve, when it starts, the alerts its host's previous run left active", async () => {
    const other = { ...ALERT, host: 'web-2' };
    await withRedis(async (c) => {
      await c.hset(ALERTS, alertKey(ALERT), `1-0 ${JSON.stringify(ALERT)}`);
      await c.hset(ALERTS, alertKey(other), `2-0 ${JSON.stringify(other)}`);
    });

    const moduleRef = await start(10);
    await until(async () => (await withRedis((c) => c.xlen(STREAM))) === 1);

    const [, fields] = (await withRedis((c) => c.xrange(STREAM, '-', '+')))[0]!;
    expect(JSON.parse(fields[5]!)).toMatchObject({
      rule: 'high-memory',
      host: 'web-1',
      severity: 'resolved',
      value: null,
    });
    expect(await withRedis((c) => c.hkeys(ALERTS))).toEqual([alertKey(other)]);
    await moduleRef.close();
  });
});
