import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import request from 'supertest';
import { eventually } from './helpers/eventually.js';
import { redisClient, streamIds, TEST_REDIS_URL, uniqueStreamKey } from './helpers/redis.js';
import type { SseFrame } from './helpers/sse-connection.js';
import { type TestApp, startTestApp } from './helpers/test-app.js';

interface HostsBody {
  mode: string;
  hosts: Array<{ name: string; lastSeen: string; lastId: string; ageMs: number }>;
}

const REDIS_ID = /^\d+-\d+$/;
const json = (frame: SseFrame | undefined) =>
  JSON.parse(frame?.data ?? 'null') as Record<string, unknown>;
const eventIds = (frames: SseFrame[]) =>
  frames.filter((frame) => frame.event === 'sample' || frame.event === 'alert').map((f) => f.id!);

async function hostsOf(app: TestApp): Promise<HostsBody> {
  return (await request(app.url).get('/api/v1/hosts').expect(200)).body as HostsBody;
}

describe('many hosts: two agents and two gateways over the real Redis', () => {
  const stream = uniqueStreamKey('events');
  const redis: Redis = redisClient();
  const shared = { VITALS_REDIS_URL: TEST_REDIS_URL, VITALS_REDIS_STREAM: stream };
  // agent-2 watches its memory (a quarter used, in the fake reader) with a low threshold.
  const rulesDir = mkdtempSync(join(tmpdir(), 'vitals-many-hosts-'));
  const rules = join(rulesDir, 'alerts.yaml');
  writeFileSync(
    rules,
    'rules:\n  - name: memory-watch\n    metric: memory.usage\n    warning: 10\n',
  );
  let agents: TestApp[];
  let gatewayA: TestApp;
  let gatewayB: TestApp;

  beforeAll(async () => {
    // One at a time: each reads its settings from process.env while it starts.
    agents = [
      await startTestApp({ ...shared, VITALS_MODE: 'agent', VITALS_HOST_NAME: 'agent-1' }),
      await startTestApp({
        ...shared,
        VITALS_MODE: 'agent',
        VITALS_HOST_NAME: 'agent-2',
        VITALS_ALERTS_FILE: rules,
      }),
    ];
    gatewayA = await startTestApp({ ...shared, VITALS_MODE: 'gateway', VITALS_HOST_NAME: 'gw-a' });
    // B keeps only ten events in memory: resuming on it reaches back into Redis.
    gatewayB = await startTestApp({
      ...shared,
      VITALS_MODE: 'gateway',
      VITALS_HOST_NAME: 'gw-b',
      VITALS_HISTORY: '10',
    });
    for (const gateway of [gatewayA, gatewayB]) {
      await eventually(async () => (await hostsOf(gateway)).hosts.length === 2);
    }
  });

  afterEach(() => {
    [gatewayA, gatewayB, ...agents].forEach((app) => app.closeStreams());
  });

  afterAll(async () => {
    await Promise.all([gatewayA, gatewayB, ...agents].map((app) => app.app.close()));
    await redis.del(stream, `${stream}:alerts`);
    redis.disconnect();
    rmSync(rulesDir, { recursive: true, force: true });
  });

  it("should list every agent's host with its last-seen time on every gateway", async () => {
    for (const gateway of [gatewayA, gatewayB]) {
      const body = await hostsOf(gateway);

      expect(body.mode).toBe('gateway');
      expect(body.hosts.map((host) => host.name)).toEqual(['agent-1', 'agent-2']);
      for (const host of body.hosts) {
        expect(host.lastId).toMatch(REDIS_ID);
        expect(Date.now() - Date.parse(host.lastSeen)).toBeLessThan(5000);
        expect(host.ageMs).toBeGreaterThanOrEqual(0);
      }
    }
    expect((await hostsOf(agents[0]!)).hosts.map((host) => host.name)).toEqual(['agent-1']);
  });

  it("should stream only the selected host's samples, with Redis ids, when host= is given", async () => {
    const connection = await gatewayA.connect('/api/v1/stream?host=agent-2&groups=cpu');
    await connection.waitUntil(
      () => connection.events.filter((frame) => frame.event === 'sample').length >= 4,
    );

    const [meta, ...events] = connection.events;
    expect(json(meta)).toMatchObject({ hosts: ['agent-2'], groups: ['cpu'] });
    const samples = events.filter((frame) => frame.event === 'sample');
    expect(samples.map((frame) => json(frame).host)).toEqual(samples.map(() => 'agent-2'));
    const ids = samples.map((frame) => frame.id!);
    ids.forEach((id, index) => {
      expect(id).toMatch(REDIS_ID);
      expect(json(samples[index]).id).toBe(id);
    });
    const inRedis = await streamIds(redis, stream);
    expect(ids.every((id) => inRedis.includes(id))).toBe(true);
    expect([...ids].sort(compareRedisIds)).toEqual(ids);
  });

  it('should answer /metrics and /history for the hosts host= selects', async () => {
    const page = '/api/v1/metrics/history?host=agent-2&limit=3&groups=memory';
    await eventually(
      async () =>
        ((await request(gatewayA.url).get(page)).body as { samples: unknown[] }).samples.length ===
        3,
    );
    const latest = await request(gatewayB.url).get('/api/v1/metrics?host=agent-1').expect(200);
    const history = await request(gatewayA.url).get(page).expect(200);
    const unknown = await request(gatewayA.url).get('/api/v1/metrics?host=nobody').expect(404);

    expect(latest.body).toMatchObject({
      host: 'agent-1',
      id: expect.stringMatching(REDIS_ID) as string,
    });
    const samples = (history.body as { samples: Array<Record<string, unknown>> }).samples;
    expect(samples).toHaveLength(3);
    expect(samples.map((sample) => sample.host)).toEqual(samples.map(() => 'agent-2'));
    expect(Object.keys(samples[0]!).sort()).toEqual(['host', 'id', 'memory', 'timestamp']);
    expect(unknown.body).toMatchObject({ statusCode: 404, code: 'UNKNOWN_HOST' });
  });

  it('should resume on the second gateway, through Redis, from an id the first gave, with no gap or duplicate', async () => {
    const first = await gatewayA.connect('/api/v1/stream');
    await first.waitUntil(() => eventIds(first.events).length >= 3);
    first.close();
    const lastSeen = eventIds(first.events).at(-1)!;
    // Two agents at 4 Hz: well over ten events later, lastSeen has left B's memory.
    await eventually(async () => {
      const { oldest } = (await request(gatewayB.url).get('/api/v1/metrics/history?limit=1'))
        .body as { oldest: string };
      return compareRedisIds(oldest, lastSeen) > 0 && (await missedSince(lastSeen)) >= 15;
    });

    const resumed = await gatewayB.connect('/api/v1/stream', { 'last-event-id': lastSeen });
    await resumed.waitUntil(() => eventIds(resumed.events).length >= 20, 10000);

    const [meta] = resumed.events;
    expect(meta).toMatchObject({ event: 'meta', id: lastSeen });
    expect(resumed.events.some((frame) => frame.event === 'gap')).toBe(false);
    const received = eventIds(resumed.events).slice(0, 20);
    const inRedis = await streamIds(redis, stream);
    const start = inRedis.indexOf(lastSeen) + 1;
    expect(start).toBeGreaterThan(0);
    expect(received).toEqual(inRedis.slice(start, start + 20));
  });

  it("should label every host's series on the gateway's Prometheus exposition", async () => {
    const { text } = await request(gatewayA.url).get('/metrics').expect(200);

    expect(text).toMatch(/^vitals_cpus\{host="agent-1"\} 2$/m);
    expect(text).toMatch(/^vitals_cpus\{host="agent-2"\} 2$/m);
  });

  it('should keep serving its own host on an agent and report the link to Redis in readiness', async () => {
    const own = await request(agents[0]!.url).get('/api/v1/metrics').expect(200);
    const agentReady = await request(agents[0]!.url).get('/health/ready').expect(200);
    const gatewayReady = await request(gatewayA.url).get('/health/ready').expect(200);

    expect(own.body).toMatchObject({ host: 'agent-1', id: expect.any(Number) as number });
    expect(agentReady.body).toMatchObject({
      details: { transport: { status: 'up', mode: 'agent', redis: 'connected', dropped: 0 } },
    });
    expect(gatewayReady.body).toMatchObject({
      details: { transport: { status: 'up', mode: 'gateway', redis: 'connected' } },
    });
  });

  it("should pass an agent's alerts on, through Redis, to the gateways' alerts, streams and /metrics", async () => {
    const { active } = (await request(gatewayA.url).get('/api/v1/alerts').expect(200)).body as {
      active: Array<Record<string, unknown>>;
    };
    const watching = await gatewayA.connect('/api/v1/stream?host=agent-2&groups=cpu');
    const other = await gatewayA.connect('/api/v1/stream?host=agent-1&groups=cpu');
    await Promise.all([watching.nextEvents(3), other.nextEvents(2)]);
    const { text } = await request(gatewayA.url).get('/metrics').expect(200);
    const entries = await redis.xrange(stream, '-', '+');

    expect(active).toEqual([
      expect.objectContaining({ rule: 'memory-watch', severity: 'warning', host: 'agent-2' }),
    ]);
    // A new subscriber gets the alert active on its host as state, right after meta.
    expect(watching.events[1]).toMatchObject({ event: 'alert' });
    expect(JSON.parse(watching.events[1]!.data!)).toMatchObject({ rule: 'memory-watch' });
    expect(other.events.filter((frame) => frame.event === 'alert')).toEqual([]);
    expect(text).toMatch(/^vitals_alert_active\{.*host="agent-2".*\} 1$/m);
    expect(entries.some(([, fields]) => fields[1] === 'alert' && fields[3] === 'agent-2')).toBe(
      true,
    );
  });

  it("should know the alerts active on the agents' hosts when it starts long after they were raised", async () => {
    const alertEntry = async () =>
      (await redis.xrange(stream, '-', '+')).find(([, fields]) => fields[1] === 'alert')?.[0];
    const raisedAt = await alertEntry();
    // Well over ten entries later, the alert is out of reach of a gateway that keeps ten.
    await eventually(async () => (await missedSince(raisedAt!)) >= 20);
    const late = await startTestApp({
      ...shared,
      VITALS_MODE: 'gateway',
      VITALS_HOST_NAME: 'gw-late',
      VITALS_HISTORY: '10',
    });
    try {
      await eventually(async () => (await hostsOf(late)).hosts.length === 2);
      const { active } = (await request(late.url).get('/api/v1/alerts').expect(200)).body as {
        active: Array<Record<string, unknown>>;
      };
      const history = (await request(late.url).get('/api/v1/metrics/history').expect(200)).body as {
        oldest: string;
      };

      expect(compareRedisIds(history.oldest, raisedAt!)).toBeGreaterThan(0);
      expect(active).toEqual([
        expect.objectContaining({ id: raisedAt, rule: 'memory-watch', host: 'agent-2' }),
      ]);
    } finally {
      await late.app.close();
    }
  });

  it('should refuse an id that is not a Redis Stream id on a gateway, before any stream', async () => {
    const response = await request(gatewayA.url)
      .get('/api/v1/stream')
      .set('Last-Event-ID', '12345')
      .expect(400);

    expect(response.headers['content-type']).toMatch(/application\/json/);
    expect(response.body).toMatchObject({ code: 'INVALID_QUERY' });
    expect((response.body as { message: string }).message).toMatch(/Last-Event-ID/);
  });

  async function missedSince(id: string): Promise<number> {
    const ids = await streamIds(redis, stream);
    return ids.length - ids.indexOf(id) - 1;
  }
});

function compareRedisIds(a: string, b: string): number {
  const [ams, aseq] = a.split('-').map(BigInt);
  const [bms, bseq] = b.split('-').map(BigInt);
  return ams !== bms ? (ams! < bms! ? -1 : 1) : aseq === bseq ? 0 : aseq! < bseq! ? -1 : 1;
}
