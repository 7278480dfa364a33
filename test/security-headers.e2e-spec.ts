import request from 'supertest';
import { type TestApp, startTestApp } from './helpers/test-app.js';

const ALLOWED = 'https://grafana.example.com';

describe('security headers and CORS', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ VITALS_CORS_ORIGINS: `${ALLOWED},http://localhost:5173` });
  });

  afterAll(async () => {
    await t.app.close();
  });

  it.each(['/', '/api/v1/metrics', '/nope'])(
    'should send helmet headers with a strict CSP on %s',
    async (path) => {
      const response = await request(t.url).get(path);

      const csp = String(response.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['referrer-policy']).toBe('no-referrer');
      expect(response.headers['cross-origin-opener-policy']).toBe('same-origin');
      expect(response.headers['x-powered-by']).toBeUndefined();
    },
  );

  it('should let an allowed origin read the API, with credentials', async () => {
    const response = await request(t.url).get('/api/v1/metrics').set('origin', ALLOWED).expect(200);

    expect(response.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(response.headers['access-control-allow-credentials']).toBe('true');
  });

  it('should answer an allowed preflight, and give a refused origin no CORS headers', async () => {
    const preflight = await request(t.url)
      .options('/api/v1/stream')
      .set('origin', ALLOWED)
      .set('access-control-request-method', 'GET')
      .set('access-control-request-headers', 'last-event-id');
    const refused = await request(t.url)
      .get('/api/v1/metrics')
      .set('origin', 'https://evil.example')
      .expect(200);

    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(String(preflight.headers['access-control-allow-headers'])).toMatch(/last-event-id/i);
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('should refuse a Host that is not loopback while bound to loopback (DNS rebinding)', async () => {
    const rebound = await request(t.url).get('/api/v1/metrics').set('host', 'evil.example:3000');

    expect(rebound.status).toBe(403);
    expect(rebound.body).toMatchObject({ statusCode: 403, code: 'HOST_NOT_ALLOWED' });
    for (const host of ['localhost:3000', '127.0.0.1', '[::1]:3000']) {
      await request(t.url).get('/api/v1/metrics').set('host', host).expect(200);
    }
  });
});

describe('without VITALS_CORS_ORIGINS', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });

  afterAll(async () => {
    await t.app.close();
  });

  it('should send no CORS headers to any origin', async () => {
    const response = await request(t.url).get('/api/v1/metrics').set('origin', ALLOWED).expect(200);

    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('bound beyond loopback', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ VITALS_HOST: '0.0.0.0', VITALS_AUTH: 'none' });
  });

  afterAll(async () => {
    await t.app.close();
  });

  it('should answer to any Host name, as a server on the network must', async () => {
    await request(t.url).get('/api/v1/metrics').set('host', 'vitals.example.com').expect(200);
  });
});
