import request from 'supertest';
import { hostReading } from './helpers/readings.js';
import { type TestApp, startTestApp } from './helpers/test-app.js';

describe('GET /api/v1/metrics', () => {
  let t: TestApp;

  beforeAll(async () => {
    // A long interval: nothing but startup samples, so reads can be counted.
    t = await startTestApp({ VITALS_INTERVAL_MS: '60000' });
  });

  afterAll(async () => {
    await t.app.close();
  });

  it('should return the latest sample with every group when no groups are given', async () => {
    const response = await request(t.url).get('/api/v1/metrics');

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.body).toEqual({
      id: expect.any(Number) as number,
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) as string,
      host: 'test-host',
      ...hostReading(7),
      self: {
        cpu: expect.any(Number) as number,
        rss: expect.any(Number) as number,
        eventLoopLagMs: expect.any(Number) as number,
        subscribers: 0,
      },
    });
  });

  it('should return only the chosen groups when groups= is given', async () => {
    const response = await request(t.url).get('/api/v1/metrics?groups=memory');

    expect(Object.keys(response.body as object)).toEqual(['id', 'timestamp', 'host', 'memory']);
  });

  it('should never take a sample when clients request the snapshot', async () => {
    const before = t.host.reads;

    for (let i = 0; i < 20; i++) {
      await request(t.url).get('/api/v1/metrics').expect(200);
    }

    expect(t.host.reads).toBe(before);
  });

  it('should answer 400 INVALID_QUERY naming the group when a group is unknown', async () => {
    const response = await request(t.url).get('/api/v1/metrics?groups=gpu,cpu');

    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message:
        'groups has unknown group(s) ["gpu"]; allowed: cpu, memory, disks, diskIo, network, ' +
        'processes, sensors, uptime, container, containers, gpus, self',
      code: 'INVALID_QUERY',
    });
  });
});
