import { execFileSync } from 'node:child_process';
import type { Redis } from 'ioredis';
import request from 'supertest';
import { alertChange, sampleReading } from './helpers/readings.js';
import { eventually } from './helpers/eventually.js';
import { redisClient, TEST_REDIS_URL, uniqueStreamKey } from './helpers/redis.js';
import type { SseFrame } from './helpers/sse-connection.js';
import { type TestApp, startTestApp } from './helpers/test-app.js';

const sampleIds = (frames: SseFrame[]) =>
  frames.filter((frame) => frame.event === 'sample').map((frame) => frame.id!);

const counter = (text: string, name: string): number =>
  Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)?.[1] ?? NaN);

describe('a gateway reading entries anyone may have written to its Redis Stream', () => {
  const stream = uniqueStreamKey('entries');
  const redis: Redis = redisClient();
  let gateway: TestApp;

  const sample = (host: string, extra: Record<string, unknown> = {}) => ({
    id: 1,
    ...sampleReading(),
    host,
    ...extra,
  });
  const add = async (host: string, data: unknown, ...more: string[]): Promise<string> =>
    (await redis.xadd(
      stream,
      '*',
      'kind',
      'sample',
      'host',
      host,
      'data',
      typeof data === 'string' ? data : JSON.stringify(data),
      ...more,
    ))!;

  beforeAll(async () => {
    // Ten events in memory: a resume from further back reads Redis (the archive).
    gateway = await startTestApp({
      VITALS_MODE: 'gateway',
      VITALS_REDIS_URL: TEST_REDIS_URL,
      VITALS_REDIS_STREAM: stream,
      VITALS_HISTORY: '10',
    });
    await eventually(async () => (await request(gateway.url).get('/health/ready')).status === 200);
  });

  afterEach(() => gateway.closeStreams());

  afterAll(async () => {
    await gateway.app.close();
    await redis.del(stream, `${stream}:alerts`);
    redis.disconnect();
  });

  it('should stay up, stream the good entries in order and count the malformed ones when bad entries come among them', async () => {
    const live = await gateway.connect('/api/v1/stream?host=mixed&groups=cpu');
    await live.nextEvents(1);
    const valid = sample('mixed');
    const bad: Array<[string, string]> = [
      ['mixed', JSON.stringify(sample('mixed', { cpu: { ...valid.cpu, usage: '30' } }))],
      [
        'mixed',
        JSON.stringify(
          sample('mixed', { memory: { ...valid.memory, total: '123456789012345678901234567890' } }),
        ),
      ],
      ['mixed', JSON.stringify(valid).replace('"uptime":3600', '"uptime":1e400')],
      ['mixed', JSON.stringify(sample('mixed', { cpu: [valid.cpu], disks: { mount: '/' } }))],
      ['mixed', JSON.stringify([valid])],
      ['mixed', `{"__proto__": ${JSON.stringify(valid)}}`],
      ['mixed', JSON.stringify(sample('mixed', { timestamp: 'yesterday' }))],
      ['mixed', '{not json'],
    ];
    const before = (await request(gateway.url).get('/health/ready')).body as {
      details: { transport: { rejected: number } };
    };

    const good: string[] = [];
    good.push(await add('mixed', valid));
    for (const [host, data] of bad) {
      await add(host, data);
    }
    // Unknown keys, even prototype-polluting ones, are stripped from an entry otherwise valid.
    good.push(
      await add(
        'mixed',
        `{"constructor": {"prototype": {"x": 1}}, ${JSON.stringify(valid).slice(1)}`,
      ),
    );
    good.push(await add('mixed', valid));
    await live.waitUntil(() => sampleIds(live.events).length >= 3);
    const ready = await request(gateway.url).get('/health/ready');
    const { text } = await request(gateway.url).get('/metrics').expect(200);

    expect(sampleIds(live.events)).toEqual(good);
    expect(ready.status).toBe(200);
    expect(
      (ready.body as { details: { transport: { rejected: number } } }).details.transport.rejected,
    ).toBe(before.details.transport.rejected + bad.length);
    expect(counter(text, 'vitals_transport_rejected_entries_total')).toBe(
      before.details.transport.rejected + bad.length,
    );
    await request(gateway.url).get('/health/live').expect(200);
  });

  it('should answer /metrics with valid exposition when an alert carries label names it does not know', async () => {
    const alert = alertChange({
      host: 'labels',
      labels: { mount: '/', 'bogus-name': 'x', nope: 'y' },
    });
    await redis.xadd(stream, '*', 'kind', 'alert', 'host', 'labels', 'data', JSON.stringify(alert));
    await eventually(async () =>
      (
        (await request(gateway.url).get('/api/v1/alerts')).body as { active: unknown[] }
      ).active.some((active) => (active as { host: string }).host === 'labels'),
    );

    const { text } = await request(gateway.url).get('/metrics').expect(200);

    expect(text).toMatch(/^vitals_alert_active\{.*mount="\/".*host="labels".*\} 1$/m);
    expect(text).not.toMatch(/bogus|nope/);
    expect(() => execFileSync('promtool', ['check', 'metrics'], { input: text })).not.toThrow();
  });

  it("should show an agent's re-sent entry once, live, in history and to a client resuming from Redis, when it has the same idempotency key", async () => {
    const live = await gateway.connect('/api/v1/stream?host=retried&groups=cpu');
    await live.nextEvents(1);
    const key = (seq: number) => ['run', 'agent-run-1', 'seq', String(seq)];
    const before = await add('other', sample('other'));

    // The agent's first try reached Redis but not its reply; it sends the entry again.
    const first = await add('retried', sample('retried'), ...key(1));
    const resent = await add('retried', sample('retried'), ...key(1));
    const next = await add('retried', sample('retried'), ...key(2));
    await live.waitUntil(() => sampleIds(live.events).length >= 2);
    const history = await request(gateway.url)
      .get('/api/v1/metrics/history?host=retried')
      .expect(200);
    // Enough later entries that a resume from `before` reaches past memory into Redis.
    for (let i = 0; i < 12; i++) {
      await add('other', sample('other'));
    }
    await eventually(async () => {
      const body = (await request(gateway.url).get('/api/v1/metrics/history?limit=1')).body as {
        oldest: string;
      };
      return compareRedisIds(body.oldest, next) > 0;
    });
    const resumed = await gateway.connect('/api/v1/stream?host=retried&groups=cpu', {
      'last-event-id': before,
    });
    await resumed.nextEvents(3);
    const { text } = await request(gateway.url).get('/metrics').expect(200);

    expect(sampleIds(live.events)).toEqual([first, next]);
    expect(
      (history.body as { samples: Array<{ id: string }> }).samples.map((sample) => sample.id),
    ).toEqual([first, next]);
    expect(sampleIds(resumed.events).slice(0, 2)).toEqual([first, next]);
    expect(sampleIds(resumed.events)).not.toContain(resent);
    expect(counter(text, 'vitals_transport_repeated_entries_total')).toBeGreaterThanOrEqual(1);
  });
});

function compareRedisIds(a: string, b: string): number {
  const [ams, aseq] = a.split('-').map(BigInt);
  const [bms, bseq] = b.split('-').map(BigInt);
  return ams !== bms ? (ams! < bms! ? -1 : 1) : aseq === bseq ? 0 : aseq! < bseq! ? -1 : 1;
}
