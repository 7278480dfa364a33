import request from 'supertest';
import { SampleStreamService } from '../src/stream/sample-stream.service.js';
import { eventually } from './helpers/eventually.js';
import { type TestApp, startTestApp } from './helpers/test-app.js';

describe('request rate limit', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ VITALS_RATE_LIMIT: '5' });
  });

  afterAll(async () => {
    await t.app.close();
  });

  it('should answer 429 RATE_LIMITED past VITALS_RATE_LIMIT a minute, but never the probes', async () => {
    for (let i = 0; i < 5; i++) {
      await request(t.url).get('/api/v1/metrics').expect(200);
    }

    const limited = await request(t.url).get('/api/v1/alerts');

    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      message: 'Too many requests: at most 5 a minute from one address',
      code: 'RATE_LIMITED',
    });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    for (let i = 0; i < 10; i++) {
      await request(t.url).get('/health/live').expect(200);
    }
  });
});

describe('streams per address', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ VITALS_MAX_STREAMS_PER_IP: '2' });
  });

  afterEach(() => t.closeStreams());

  afterAll(async () => {
    await t.app.close();
  });

  it('should refuse a third stream from one address with 429 TOO_MANY_STREAMS, before any event', async () => {
    const open = [await t.connect('/api/v1/stream'), await t.connect('/stream')];
    await Promise.all(open.map((connection) => connection.nextEvents(1)));

    const third = await t.connect('/api/v1/stream');
    await third.ended;

    expect(third.status).toBe(429);
    expect(third.headers['content-type']).toMatch(/application\/json/);
    expect(JSON.parse(third.body)).toMatchObject({ code: 'TOO_MANY_STREAMS' });
    open[0]!.close();
    await eventually(() => t.app.get(SampleStreamService).subscribers === 1, 5000, 10);
    const again = await t.connect('/api/v1/stream');
    await again.nextEvents(1);
    expect(again.status).toBe(200);
  });
});
