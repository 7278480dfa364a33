import { Redis } from 'ioredis';
import request from 'supertest';
import { eventually } from './helpers/eventually.js';
import { appendSamples, ThrowawayRedis, uniqueStreamKey } from './helpers/redis.js';
import type { SseFrame } from './helpers/sse-connection.js';
import { TcpProxy } from './helpers/tcp-proxy.js';
import { type TestApp, startTestApp } from './helpers/test-app.js';

const STREAM = uniqueStreamKey('gap');
const eventsAfterMeta = (frames: SseFrame[]) =>
  frames.filter((frame) => frame.event === 'sample' || frame.event === 'gap');

describe("a gateway whose own link to Redis was down longer than the stream's MAXLEN lasts", () => {
  let redis: ThrowawayRedis;
  let link: TcpProxy;
  let client: Redis;
  let gateway: TestApp;

  beforeAll(async () => {
    redis = await ThrowawayRedis.start();
    link = await TcpProxy.start(redis.port);
    client = new Redis(redis.url);
    // The gateway reaches Redis through the relay, which the test cuts; the test does not.
    gateway = await startTestApp({
      VITALS_MODE: 'gateway',
      VITALS_REDIS_URL: link.url,
      VITALS_REDIS_STREAM: STREAM,
    });
  });

  afterAll(async () => {
    gateway.closeStreams();
    await gateway.app.close();
    client.disconnect();
    await link.stop();
    await redis.stop();
  });

  it('should send its live clients a gap frame from the last entry taken to the first one left, then the newest entries', async () => {
    const live = await gateway.connect('/api/v1/stream?host=web-1&groups=cpu&alerts=false');
    const before = await appendSamples(client, STREAM, 3, 'web-1');
    await live.waitUntil(() => eventsAfterMeta(live.events).length >= 3);

    await link.stop();
    await eventually(async () => (await request(gateway.url).get('/health/ready')).status === 503);
    // Thirty entries into a stream that keeps ten: the first twenty, and the three before, go.
    const during = await appendSamples(client, STREAM, 30, 'web-1', 10);
    await link.start();
    await live.waitUntil(() => eventsAfterMeta(live.events).length >= 3 + 1 + 10, 15000);

    const [gap, ...after] = eventsAfterMeta(live.events).slice(3);
    expect(gap).toMatchObject({ event: 'gap' });
    expect(JSON.parse(gap!.data!)).toEqual({ from: before[2], to: during[20] });
    expect(after.map((frame) => frame.id)).toEqual(during.slice(20));
    const ready = await request(gateway.url).get('/health/ready').expect(200);
    expect(ready.body).toMatchObject({ details: { transport: { gaps: 1 } } });
  });
});
