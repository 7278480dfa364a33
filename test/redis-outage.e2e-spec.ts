import request from 'supertest';
import { eventually } from './helpers/eventually.js';
import { freePort, ThrowawayRedis, uniqueStreamKey } from './helpers/redis.js';
import { ServiceProcess } from './helpers/service-process.js';
import { SseConnection } from './helpers/sse-connection.js';
import { type TestApp, startTestApp } from './helpers/test-app.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const timestamps = (connection: SseConnection): string[] =>
  connection.events
    .filter((frame) => frame.event === 'sample')
    .map((frame) => (JSON.parse(frame.data!) as { timestamp: string }).timestamp);

describe('Redis stopped and restarted under a running agent and gateway', () => {
  let redis: ThrowawayRedis;
  let agent: TestApp;
  let gateway: TestApp;

  beforeAll(async () => {
    redis = await ThrowawayRedis.start();
    const shared = { VITALS_REDIS_URL: redis.url, VITALS_REDIS_STREAM: uniqueStreamKey('outage') };
    agent = await startTestApp({ ...shared, VITALS_MODE: 'agent', VITALS_HOST_NAME: 'agent-x' });
    gateway = await startTestApp({ ...shared, VITALS_MODE: 'gateway', VITALS_HOST_NAME: 'gw' });
  });

  afterAll(async () => {
    agent.closeStreams();
    gateway.closeStreams();
    await Promise.all([agent.app.close(), gateway.app.close()]);
    await redis.stop();
  });

  it('should keep every component up, then deliver every sample taken meanwhile, in order, on the same stream', async () => {
    const live = await gateway.connect('/api/v1/stream?groups=cpu&alerts=false');
    await live.waitUntil(() => timestamps(live).length >= 3);
    let ended = false;
    void live.ended.then(() => (ended = true));

    await redis.stop();

    // The gateway says it is not ready; the agent carries on serving its own host.
    await eventually(async () => (await request(gateway.url).get('/health/ready')).status === 503);
    const notReady = await request(gateway.url).get('/health/ready').expect(503);
    expect(notReady.body).toMatchObject({
      code: 'NOT_READY',
      details: { transport: { status: 'down', redis: 'unreachable' } },
    });
    // The agent takes samples meanwhile and buffers them: enough of them to check the order.
    const buffered = async () =>
      (
        (await request(agent.url).get('/health/ready')).body as {
          details?: { transport?: { buffered?: number } };
        }
      ).details?.transport?.buffered ?? 0;
    await eventually(async () => (await buffered()) >= 8);
    const own = await request(agent.url).get('/api/v1/metrics').expect(200);
    expect(own.body).toMatchObject({ host: 'agent-x' });
    const agentReady = await request(agent.url).get('/health/ready').expect(200);
    expect(agentReady.body).toMatchObject({
      details: { transport: { status: 'up', redis: 'unreachable' } },
    });
    expect(
      (agentReady.body as { details: { transport: { buffered: number } } }).details.transport
        .buffered,
    ).toBeGreaterThan(0);
    const seenBefore = timestamps(live).length;

    await redis.start();

    await eventually(
      async () => (await request(gateway.url).get('/health/ready')).status === 200,
      15000,
    );
    const resumedAt = new Date().toISOString();
    await live.waitUntil(() => timestamps(live).some((timestamp) => timestamp > resumedAt), 15000);

    expect(ended).toBe(false);
    expect(timestamps(live).length).toBeGreaterThan(seenBefore);
    // Every sample the agent took, outage or not, reached the client once and in order.
    const received = timestamps(live);
    const { samples } = (
      await request(agent.url).get('/api/v1/metrics/history?limit=3600&groups=cpu').expect(200)
    ).body as { samples: Array<{ timestamp: string }> };
    const taken = samples
      .map((sample) => sample.timestamp)
      .filter((timestamp) => timestamp >= received[0]! && timestamp <= received.at(-1)!);
    expect(received).toEqual(taken);
    expect(taken.length).toBeGreaterThan(8);
  });
});

describe('shutting down while Redis is unreachable', () => {
  it.each(['agent', 'gateway'])(
    'should exit 0 in time when sent SIGTERM as an %s retrying its connection',
    async (mode) => {
      const service = new ServiceProcess({
        VITALS_PORT: '0',
        VITALS_MODE: mode,
        // Nothing listens there: every connection attempt fails and backs off.
        VITALS_REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
      });
      try {
        const url = await service.listening();
        const stream = await SseConnection.open(`${url}/api/v1/stream`);
        // Long enough for the backoff to reach seconds: time itself is the condition here.
        await pause(2500);

        service.signal('SIGTERM');
        const exit = await service.exited;
        await stream.ended;

        // The service exits 1 by itself if shutdown takes longer than 2 s; 0 means in time.
        expect(exit).toEqual({ code: 0, signal: null });
        expect(service.stdout).toContain('Redis unreachable');
      } finally {
        service.kill();
      }
    },
  );
});
