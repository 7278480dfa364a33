import request from 'supertest';
import { eventually } from './helpers/eventually.js';
import { type SseFrame, sampleIds } from './helpers/sse-connection.js';
import { type TestApp, startTestApp } from './helpers/test-app.js';

const json = (frame: SseFrame | undefined) =>
  JSON.parse(frame?.data ?? 'null') as Record<string, unknown>;

describe('resuming the stream', () => {
  let t: TestApp;
  const connect = (path: string, headers?: Record<string, string>) => t.connect(path, headers);
  const newestId = async () =>
    ((await request(t.url).get('/api/v1/metrics')).body as { id: number }).id;

  beforeAll(async () => {
    t = await startTestApp({ VITALS_INTERVAL_MS: '250', VITALS_HISTORY: '40' });
  });

  afterEach(() => {
    t.closeStreams();
  });

  afterAll(async () => {
    await t.app.close();
  });

  it('should replay every event after Last-Event-ID then continue live when a client resumes by header', async () => {
    const first = await connect('/api/v1/stream');
    await first.nextEvents(3);
    first.close();
    const lastSeen = sampleIds(first.events).at(-1)!;
    // Ticks pass while the client is away.
    await eventually(async () => (await newestId()) >= lastSeen + 2, 10000, 50);

    const resumed = await connect('/api/v1/stream', { 'last-event-id': String(lastSeen) });
    await resumed.waitUntil(() => sampleIds(resumed.events).length >= 5);

    const [meta] = resumed.events;
    expect(meta?.event).toBe('meta');
    expect(Number(meta?.id)).toBe(lastSeen);
    const ids = sampleIds(resumed.events);
    expect(ids).toEqual(ids.map((_, index) => lastSeen + 1 + index));
  });

  it('should resume the same way when the id comes as lastEventId= in the query', async () => {
    const lastSeen = (await newestId()) - 2;

    const resumed = await connect(`/api/v1/stream?lastEventId=${lastSeen}`);
    await resumed.waitUntil(() => sampleIds(resumed.events).length >= 3);

    expect(sampleIds(resumed.events).slice(0, 3)).toEqual([
      lastSeen + 1,
      lastSeen + 2,
      lastSeen + 3,
    ]);
  });

  it('should lose and repeat nothing across 20 reconnects while ticks keep coming', async () => {
    const seen: number[] = [];
    let lastId = String((await newestId()) - 1);

    for (let i = 0; i < 20; i++) {
      const stream = await connect('/api/v1/stream', { 'last-event-id': lastId });
      await stream.waitUntil(() => sampleIds(stream.events).length >= 1 + (i % 3));
      stream.close();
      seen.push(...sampleIds(stream.events));
      lastId = stream.events.at(-1)!.id!;
    }

    expect(seen.length).toBeGreaterThanOrEqual(20);
    expect(seen).toEqual(seen.map((_, index) => seen[0]! + index));
  });

  it('should send a gap frame then what it has when the id is older than what is retained', async () => {
    const stream = await connect('/api/v1/stream?lastEventId=5');

    const [meta, gap, first] = await stream.nextEvents(3);

    const { retained } = json(meta) as { retained: { oldest: number } };
    expect(gap?.event).toBe('gap');
    expect(json(gap)).toEqual({ from: 5, to: retained.oldest });
    expect(Number(gap?.id)).toBe(retained.oldest - 1);
    expect(Number(first?.id)).toBe(retained.oldest);
  });

  it('should send only live events when replay=false', async () => {
    const newest = await newestId();

    const stream = await connect(`/api/v1/stream?replay=false&lastEventId=${newest - 5}`);
    const [meta, sample] = await stream.nextEvents(2);

    expect(json(meta).replay).toBe(false);
    expect(Number(sample?.id)).toBeGreaterThan(newest);
  });

  it('should send every n-th sample when every= is a multiple of the interval', async () => {
    const stream = await connect('/api/v1/stream?every=500&replay=false');

    await stream.waitUntil(() => sampleIds(stream.events).length >= 3);

    const [a, b, c] = sampleIds(stream.events);
    expect(json(stream.events[0]).every).toBe(500);
    expect([b! - a!, c! - b!]).toEqual([2, 2]);
  });

  it.each([
    ['a Last-Event-ID ahead of the stream', { 'last-event-id': '99999999999999' }, '', 'ahead'],
    ['a Last-Event-ID that is not a number', { 'last-event-id': 'abc' }, '', 'Last-Event-ID'],
    ['a lastEventId that is not a number', {}, '?lastEventId=1e5', 'lastEventId'],
    ['an every that is not a multiple of the interval', {}, '?every=300', 'every'],
    ['an every that is not a number', {}, '?every=soon', 'every'],
    ['a replay that is not a boolean', {}, '?replay=maybe', 'replay'],
  ])(
    'should answer 400 INVALID_QUERY before any stream when given %s',
    async (_, headers, query, word) => {
      const response = await request(t.url).get(`/api/v1/stream${query}`).set(headers);

      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.body).toMatchObject({
        code: 'INVALID_QUERY',
        message: expect.stringContaining(word) as string,
      });
    },
  );
});

describe('GET /api/v1/metrics/history', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ VITALS_INTERVAL_MS: '250' });
    // A few samples.
    await eventually(
      async () =>
        ((await request(t.url).get('/api/v1/metrics/history')).body as { samples: unknown[] })
          .samples.length >= 4,
      10000,
      50,
    );
  });

  afterAll(async () => {
    await t.app.close();
  });

  it('should return the newest samples oldest first with the retained range when no since is given', async () => {
    const response = await request(t.url).get('/api/v1/metrics/history?limit=3');

    const body = response.body as {
      samples: Array<{ id: number }>;
      oldest: number;
      newest: number;
    };
    expect(response.status).toBe(200);
    expect(body.samples.map((sample) => sample.id)).toEqual([
      body.newest - 2,
      body.newest - 1,
      body.newest,
    ]);
    expect(body.oldest).toBeLessThanOrEqual(body.newest - 2);
  });

  it('should page forward from since and apply groups when both are given', async () => {
    const { oldest } = (await request(t.url).get('/api/v1/metrics/history')).body as {
      oldest: number;
    };

    const response = await request(t.url).get(
      `/api/v1/metrics/history?since=${oldest}&limit=2&groups=memory`,
    );

    const body = response.body as { samples: Array<Record<string, unknown>> };
    expect(body.samples.map((sample) => sample.id)).toEqual([oldest + 1, oldest + 2]);
    body.samples.forEach((sample) =>
      expect(Object.keys(sample)).toEqual(['id', 'timestamp', 'host', 'memory']),
    );
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=100000', 'limit'],
    ['since=-1', 'since'],
    ['since=99999999999999', 'ahead'],
  ])('should answer 400 INVALID_QUERY when given %s', async (query, word) => {
    const response = await request(t.url).get(`/api/v1/metrics/history?${query}`);

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      code: 'INVALID_QUERY',
      message: expect.stringContaining(word) as string,
    });
  });
});
