import { connect as tcpConnect, type Socket } from 'node:net';
import request from 'supertest';
import { SampleStreamService } from '../src/stream/sample-stream.service.js';
import { FakeHostReader } from './helpers/fake-host.reader.js';
import { SseConnection, sampleIds } from './helpers/sse-connection.js';
import { type TestApp, startTestApp } from './helpers/test-app.js';
import { eventually } from './helpers/eventually.js';

describe('the subscriber cap', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ VITALS_MAX_SUBSCRIBERS: '2' });
  });

  afterAll(async () => {
    await t.app.close();
  });

  it('should answer 503 TOO_MANY_SUBSCRIBERS past VITALS_MAX_SUBSCRIBERS and accept again once one leaves', async () => {
    const a = await SseConnection.open(`${t.url}/api/v1/stream`);
    const b = await SseConnection.open(`${t.url}/stream`);
    await Promise.all([a.nextEvents(1), b.nextEvents(1)]);

    const refused = await request(t.url).get('/api/v1/stream');
    a.close();
    await a.ended;
    const streams = t.app.get(SampleStreamService);
    await eventually(() => streams.subscribers === 1, 5000, 10);
    const c = await SseConnection.open(`${t.url}/api/v1/stream`);
    await c.nextEvents(1);
    b.close();
    c.close();

    expect(refused.status).toBe(503);
    expect(refused.headers['content-type']).toMatch(/^application\/json/);
    expect(refused.body).toMatchObject({ statusCode: 503, code: 'TOO_MANY_SUBSCRIBERS' });
    expect(c.status).toBe(200);
  });
});

describe('a client that stops reading', () => {
  let t: TestApp;
  let stalled: Socket | undefined;

  beforeAll(async () => {
    // ~200 KB frames: the kernel's socket buffers (about 4 MB on loopback) fill in seconds,
    // and a healthy client's momentary backlog of one frame stays well under the bound.
    t = await startTestApp(
      { VITALS_INTERVAL_MS: '250', VITALS_CLIENT_BUFFER_BYTES: '524288' },
      new FakeHostReader(60_000),
    );
  });

  afterAll(async () => {
    stalled?.destroy();
    await t.app.close();
  });

  it('should be disconnected and counted while a healthy client keeps receiving every sample', async () => {
    const streams = t.app.get(SampleStreamService);
    const healthy = await SseConnection.open(`${t.url}/api/v1/stream`);
    const { port } = new URL(t.url);
    stalled = tcpConnect(Number(port), '127.0.0.1');
    stalled.write(`GET /api/v1/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    stalled.pause(); // never reads again

    // Loopback's autotuned buffers take 10 MB or more before vitals sees backpressure: 15–22 s
    // at these frames on an idle 2-core machine, longer while other suites run beside it.
    await eventually(() => streams.stats.dropped > 0, 50_000, 50);
    const afterDrop = sampleIds(healthy.events).length;
    await healthy.waitUntil(() => sampleIds(healthy.events).length >= afterDrop + 2);
    const open = streams.stats.open;
    healthy.close();

    expect(streams.stats.dropped).toBe(1);
    // Only the healthy stream was open: the stalled one's session is gone.
    expect(open).toBe(1);
    const ids = sampleIds(healthy.events);
    expect(ids.length).toBeGreaterThanOrEqual(afterDrop + 2);
    expect(ids).toEqual(ids.map((_, index) => ids[0]! + index));
  }, 70_000);
});
