import type { Redis } from 'ioredis';
import request from 'supertest';
import { eventually } from './helpers/eventually.js';
import { redisClient, TEST_REDIS_URL, uniqueStreamKey } from './helpers/redis.js';
import type { SseFrame } from './helpers/sse-connection.js';
import { type TestApp, startTestApp } from './helpers/test-app.js';

interface HostBody {
  name: string;
  stale: boolean;
}

const hostsIn = (frame: SseFrame): HostBody[] =>
  (JSON.parse(frame.data ?? '{}') as { hosts: HostBody[] }).hosts;

async function hostsOf(app: TestApp): Promise<HostBody[]> {
  return ((await request(app.url).get('/api/v1/hosts').expect(200)).body as { hosts: HostBody[] })
    .hosts;
}

describe('a fleet: hosts that go quiet go stale, then are forgotten', () => {
  const stream = uniqueStreamKey('fleet');
  const redis: Redis = redisClient();
  const shared = {
    VITALS_REDIS_URL: TEST_REDIS_URL,
    VITALS_REDIS_STREAM: stream,
    VITALS_INTERVAL_MS: '250',
  };
  let steady: TestApp;
  let leaving: TestApp | undefined;
  let gateway: TestApp;

  beforeAll(async () => {
    // One at a time: each reads its settings from process.env while it starts.
    steady = await startTestApp({ ...shared, VITALS_MODE: 'agent', VITALS_HOST_NAME: 'steady' });
    leaving = await startTestApp({ ...shared, VITALS_MODE: 'agent', VITALS_HOST_NAME: 'leaving' });
    gateway = await startTestApp({
      ...shared,
      VITALS_MODE: 'gateway',
      VITALS_HOST_NAME: 'gw',
      VITALS_HOST_TTL: '3s',
    });
    await eventually(async () => (await hostsOf(gateway)).length === 2);
  });

  afterAll(async () => {
    gateway?.closeStreams();
    for (const app of [gateway, steady, leaving]) {
      await app?.app.close();
    }
    await redis.del(stream, `${stream}:alerts`);
    redis.disconnect();
  });

  it('should list both hosts fresh while they report', async () => {
    expect(await hostsOf(gateway)).toMatchObject([
      { name: 'leaving', stale: false },
      { name: 'steady', stale: false },
    ]);
  });

  it('should tell every stream, with hosts events without ids, when a host goes stale and then is forgotten', async () => {
    // A stream of the other host only: the set of hosts concerns it too.
    const connection = await gateway.connect('/api/v1/stream?host=steady&groups=cpu');
    const hostsEvents = () => connection.events.filter((frame) => frame.event === 'hosts');
    await connection.waitUntil(() => connection.events.some((f) => f.event === 'sample'));

    await leaving!.app.close();
    leaving = undefined;
    await connection.waitUntil(() => hostsEvents().some((f) => hostsIn(f).length === 1), 10_000);
    const seen = hostsEvents().map((frame) => ({
      id: frame.id,
      hosts: hostsIn(frame).map((host) => `${host.name}${host.stale ? ' (stale)' : ''}`),
    }));

    // Stale after three of its 250 ms intervals; forgotten after VITALS_HOST_TTL, 3 s. (The
    // hosts' arrival may come first, if the gateway had not swept since.)
    expect(seen.every((notice) => notice.id === undefined)).toBe(true);
    expect(seen.slice(-2)).toEqual([
      { id: undefined, hosts: ['leaving (stale)', 'steady'] },
      { id: undefined, hosts: ['steady'] },
    ]);
    expect(await hostsOf(gateway)).toMatchObject([{ name: 'steady', stale: false }]);
    const metrics = (await request(gateway.url).get('/metrics').expect(200)).text;
    expect(metrics).toMatch(/^vitals_cpu_usage_ratio\{host="steady"\} /m);
    expect(metrics).not.toMatch(/host="leaving"/);
    await request(gateway.url).get('/api/v1/metrics?host=leaving').expect(404);
    // The samples kept flowing around the notices, their ids in order.
    const ids = connection.events.filter((f) => f.event === 'sample').map((f) => f.id!);
    expect(ids.length).toBeGreaterThan(10);
  });

  it('should list a forgotten host again, fresh, when it reports again', async () => {
    const connection = await gateway.connect('/api/v1/stream?groups=cpu');
    leaving = await startTestApp({ ...shared, VITALS_MODE: 'agent', VITALS_HOST_NAME: 'leaving' });

    await connection.waitUntil(() =>
      connection.events.some((f) => f.event === 'hosts' && hostsIn(f).length === 2),
    );

    expect(await hostsOf(gateway)).toMatchObject([
      { name: 'leaving', stale: false },
      { name: 'steady', stale: false },
    ]);
  });
});
