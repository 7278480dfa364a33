import request from 'supertest';
import { eventually } from './helpers/eventually.js';
import { type TestApp, startTestApp } from './helpers/test-app.js';

describe('health', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ VITALS_INTERVAL_MS: '250' });
  });

  afterAll(async () => {
    await t.app.close();
  });

  it('should report live when the process serves requests', async () => {
    const response = await request(t.url).get('/health/live');

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'ok' });
  });

  it('should report ready with the sampler details when samples are fresh', async () => {
    const response = await request(t.url).get('/health/ready');

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      status: 'ok',
      details: {
        sampler: { status: 'up', intervalMs: 250, maxAgeMs: 750, failedTicks: 0 },
        streams: { status: 'up', open: 0, opened: 0, dropped: 0, rejected: 0 },
      },
    });
  });

  it('should stay ready, reporting the failing group, when one group cannot be read', async () => {
    t.host.failingGroups.add('sensors');
    await eventually(async () => {
      const details = (await request(t.url).get('/health/ready')).body as {
        details?: { sampler?: { groupFailures?: { sensors?: number } } };
      };
      return (details.details?.sampler?.groupFailures?.sensors ?? 0) >= 3;
    });

    const response = await request(t.url).get('/health/ready');
    const sample = await request(t.url).get('/api/v1/metrics');
    t.host.failingGroups.clear();

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      details: { sampler: { status: 'up', failingGroups: ['sensors'] } },
    });
    expect(
      (response.body as { details: { sampler: { groupFailures: { sensors: number } } } }).details
        .sampler.groupFailures.sensors,
    ).toBeGreaterThanOrEqual(3);
    expect(sample.body).toMatchObject({ sensors: null, memory: { usage: 25 } });
  });

  it('should report 503 NOT_READY when no sample arrived for three intervals, and recover', async () => {
    t.host.failing = true;
    await eventually(async () => (await request(t.url).get('/health/ready')).status === 503);

    const failing = await request(t.url).get('/health/ready');
    const live = await request(t.url).get('/health/live');
    t.host.failing = false;
    await eventually(async () => (await request(t.url).get('/health/ready')).status === 200);
    const recovered = await request(t.url).get('/health/ready');

    expect(failing.status).toBe(503);
    expect(failing.body).toMatchObject({
      statusCode: 503,
      error: 'Service Unavailable',
      code: 'NOT_READY',
      details: { sampler: { status: 'down' } },
    });
    expect(
      (failing.body as { details: { sampler: { failedTicks: number } } }).details.sampler
        .failedTicks,
    ).toBeGreaterThanOrEqual(3);
    expect(live.status).toBe(200);
    expect(recovered.status).toBe(200);
  });
});
