import request from 'supertest';
import { type TestApp, startTestApp } from './helpers/test-app.js';

describe('error responses', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });

  afterAll(async () => {
    await t.app.close();
  });

  it.each([
    ['an unknown route', 'get', '/api/v1/nope', 404, 'NOT_FOUND'],
    ['a method the route does not have', 'post', '/api/v1/metrics', 404, 'NOT_FOUND'],
    [
      'a malformed percent-encoding',
      'get',
      '/api/v1/metrics?groups=%E0%A4%A',
      400,
      'INVALID_QUERY',
    ],
  ] as const)(
    'should answer JSON with a stable code when given %s',
    async (_, method, path, status, code) => {
      const response = await request(t.url)[method](path).send('{"broken json');

      expect(response.status).toBe(status);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.body).toEqual({
        statusCode: status,
        error: expect.any(String) as string,
        message: expect.any(String) as string,
        code,
      });
      expect(JSON.stringify(response.body)).not.toMatch(/\bat .*\.(js|ts):\d+/);
    },
  );

  it('should not announce the framework when answering', async () => {
    const response = await request(t.url).get('/health/live');

    expect(response.headers['x-powered-by']).toBeUndefined();
  });
});
