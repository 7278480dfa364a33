import { EventSource } from 'eventsource';
import request from 'supertest';
import { eventually } from './helpers/eventually.js';
import { SAMPLE_GROUPS } from '../src/hub/sample-group.js';
import { SampleStreamService } from '../src/stream/sample-stream.service.js';
import { type SseFrame, SseConnection } from './helpers/sse-connection.js';
import { type TestApp, startTestApp } from './helpers/test-app.js';

const json = (frame: SseFrame | undefined): Record<string, unknown> =>
  JSON.parse(frame?.data ?? 'null') as Record<string, unknown>;

describe('GET /api/v1/stream', () => {
  let t: TestApp;
  const connect = (path: string, headers?: Record<string, string>) => t.connect(path, headers);

  beforeAll(async () => {
    t = await startTestApp({ VITALS_INTERVAL_MS: '250' });
  });

  afterEach(() => {
    t.closeStreams();
  });

  afterAll(async () => {
    await t.app.close();
  });

  it('should answer with event-stream headers and meta then the latest sample when a client connects', async () => {
    const stream = await connect('/api/v1/stream');

    const [meta, sample] = await stream.nextEvents(2);

    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(stream.headers['cache-control']).toEqual(expect.stringContaining('no-cache'));
    expect(stream.headers['cache-control']).toEqual(expect.stringContaining('no-transform'));
    expect(stream.headers['x-accel-buffering']).toBe('no');
    expect(meta).toMatchObject({ event: 'meta', retry: 2000 });
    expect(json(meta)).toEqual({
      host: 'test-host',
      intervalMs: 250,
      every: 250,
      heartbeatMs: 15000,
      groups: [...SAMPLE_GROUPS],
      hosts: null,
      replay: true,
      alerts: true,
      retained: { oldest: expect.any(Number) as number, newest: Number(sample?.id) },
    });
    expect(sample?.event).toBe('sample');
    expect(Number(meta?.id)).toBe(Number(sample?.id) - 1);
  });

  it('should send samples whose ids strictly increase and match their payload when ticks pass', async () => {
    const stream = await connect('/api/v1/stream');

    // (A `hosts` notice, which has no id, may come among them while the host is new.)
    const samplesOf = () => stream.events.filter((frame) => frame.event === 'sample');
    await stream.waitUntil(() => samplesOf().length >= 4);
    const samples = samplesOf().slice(0, 4);

    const ids = samples.map((frame) => Number(frame.id));
    ids.slice(1).forEach((id, index) => expect(id).toBe(ids[index]! + 1));
    samples.forEach((frame) => {
      const sample = json(frame);
      expect(sample.id).toBe(Number(frame.id));
      expect(sample.host).toBe('test-host');
      expect(sample).toHaveProperty('cpu.cores', expect.any(Array));
      expect(sample).toHaveProperty('memory.total', 8 * 1024 ** 3);
    });
  });

  it('should send only the chosen groups when groups= is given', async () => {
    const stream = await connect('/api/v1/stream?groups=cpu');

    const [meta, sample] = await stream.nextEvents(2);

    expect(json(meta).groups).toEqual(['cpu']);
    expect(Object.keys(json(sample))).toEqual(['id', 'timestamp', 'host', 'cpu']);
  });

  it('should give two subscribers the same samples when they listen at the same time', async () => {
    const a = await connect('/api/v1/stream');
    const b = await connect('/api/v1/stream');

    await a.nextEvents(5);
    await b.nextEvents(5);

    const byId = (frames: SseFrame[]) =>
      new Map(frames.filter((f) => f.event === 'sample').map((f) => [f.id, f.data]));
    const fromA = byId(a.events);
    const fromB = byId(b.events);
    const shared = [...fromA.keys()].filter((id) => fromB.has(id));
    expect(shared.length).toBeGreaterThanOrEqual(3);
    shared.forEach((id) => expect(fromB.get(id)).toBe(fromA.get(id)));
  });

  it('should deliver meta and sample events with ids when read with EventSource', async () => {
    const source = new EventSource(`${t.url}/api/v1/stream?groups=memory`);
    try {
      const received = await new Promise<Array<{ type: string; id: string; data: string }>>(
        (resolve, reject) => {
          const events: Array<{ type: string; id: string; data: string }> = [];
          const keep = (event: MessageEvent) => {
            events.push({ type: event.type, id: event.lastEventId, data: String(event.data) });
            if (events.length === 3) {
              resolve(events);
            }
          };
          source.addEventListener('meta', keep);
          source.addEventListener('sample', keep);
          source.onerror = () => reject(new Error('EventSource error'));
        },
      );

      expect(received.map((event) => event.type)).toEqual(['meta', 'sample', 'sample']);
      expect(Number(received[2]!.id)).toBe(Number(received[1]!.id) + 1);
      expect(JSON.parse(received[2]!.data)).toHaveProperty('memory.usage', 25);
    } finally {
      source.close();
    }
  });

  it.each([
    ['an unknown group', '?groups=cpu,gpu', 'groups'],
    ['an empty group list', '?groups=', 'groups'],
    ['an unknown parameter', '?colour=red', 'colour'],
  ])(
    'should answer 400 INVALID_QUERY as JSON and open no stream when given %s',
    async (_, query, name) => {
      const response = await request(t.url).get(`/api/v1/stream${query}`);

      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: expect.stringContaining(name) as string,
        code: 'INVALID_QUERY',
      });
    },
  );

  it('should release the subscription at once when the client disconnects', async () => {
    const streams = t.app.get(SampleStreamService);
    const stream = await connect('/api/v1/stream');
    await stream.nextEvents(2);
    expect(streams.subscribers).toBe(1);

    stream.close();

    await eventually(() => streams.subscribers === 0, 2000, 10);

    expect(streams.subscribers).toBe(0);
  });
});

describe('GET /api/v1/stream with a long interval', () => {
  let t: TestApp;
  let stream: SseConnection | undefined;

  beforeAll(async () => {
    t = await startTestApp({ VITALS_INTERVAL_MS: '60000', VITALS_HEARTBEAT_MS: '1000' });
  });

  afterAll(async () => {
    stream?.close();
    await t.app.close();
  });

  it('should send meta and the latest sample before the next tick, then ping when idle', async () => {
    stream = await SseConnection.open(`${t.url}/api/v1/stream`);

    const [meta, sample] = await stream.nextEvents(2, 1000);
    await stream.waitUntil((frames) => frames.some((frame) => frame.comment === 'ping'), 3000);

    expect(meta?.event).toBe('meta');
    expect(sample?.event).toBe('sample');
    expect(t.host.reads).toBe(1);
    expect(stream.body).toContain('\n: ping\n\n');
  });
});
