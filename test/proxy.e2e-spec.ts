import { request as httpRequest } from 'node:http';
import { type TestApp, startTestApp } from './helpers/test-app.js';

const TOKEN = 'test-token-0123456789abcdef';

interface Sent {
  from?: string;
  method?: string;
  headers?: Record<string, string>;
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * One request sent exactly as written (no client-side path normalisation), from `from`, a
 * loopback address of this machine standing for a proxy or a client elsewhere.
 */
function send(
  url: string,
  path: string,
  { from = '127.0.0.1', method = 'GET', headers = {} }: Sent = {},
): Promise<Answer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: hostname, port, path, method, localAddress: from, headers },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject).end();
  });
}

describe('the path every middleware decides on', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ VITALS_TOKEN: TOKEN, VITALS_RATE_LIMIT: '3' });
  });

  afterAll(async () => {
    await t.app.close();
  });

  it.each([
    '/health/../api/v1/metrics?access_token=GUESS',
    '/health/%2e%2e/api/v1/metrics',
    '/health/.%2E/api/v1/metrics',
    '/health/live/./../../metrics',
    '/api/v1%2fmetrics',
    '/health%2Flive',
    '/health/..%5capi/v1/metrics',
    '/health\\..\\metrics',
    '/api/v1/metrics%00',
  ])(
    'should answer %s with a JSON 400 INVALID_PATH when the path climbs or hides a separator',
    async (path) => {
      const answer = await send(t.url, path);

      expect(answer.status).toBe(400);
      expect(answer.headers['content-type']).toMatch(/application\/json/);
      expect(JSON.parse(answer.body)).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: 'The path must not contain `.` or `..` segments or encoded separators',
        code: 'INVALID_PATH',
      });
    },
  );

  it('should rate limit token guesses when they come through a probe path that climbs', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      statuses.push(
        (
          await send(t.url, `/health/../api/v1/metrics?access_token=GUESS${i}`, {
            from: '127.0.0.9',
          })
        ).status,
      );
      statuses.push(
        (await send(t.url, `/api/v1/metrics?access_token=GUESS${i}`, { from: '127.0.0.9' })).status,
      );
    }

    // Never a 401 through the climbing path, and the plain guesses hit the limit.
    expect(statuses.filter((_, i) => i % 2 === 0)).toEqual([400, 400, 400, 400, 400, 400]);
    expect(statuses.filter((_, i) => i % 2 === 1)).toEqual([401, 401, 401, 429, 429, 429]);
  });

  it('should keep serving the probes and normal paths, dots inside names included', async () => {
    expect((await send(t.url, '/health/live')).status).toBe(200);
    expect((await send(t.url, '/asyncapi.json', { from: '127.0.0.10' })).status).toBe(401);
    expect((await send(t.url, '/favicon.svg')).status).toBe(200);
  });
});

describe('VITALS_TRUST_PROXY', () => {
  const limitedFrom = async (url: string, from: string, clients: string[]): Promise<number[]> => {
    const statuses: number[] = [];
    for (const client of clients) {
      const answer = await send(url, '/api/v1/alerts', {
        from,
        headers: { 'x-forwarded-for': client },
      });
      statuses.push(answer.status);
    }
    return statuses;
  };

  it('should give each client behind a trusted proxy its own rate-limit bucket', async () => {
    const t = await startTestApp({ VITALS_RATE_LIMIT: '2', VITALS_TRUST_PROXY: '127.0.0.2' });
    try {
      const viaProxy = await limitedFrom(t.url, '127.0.0.2', ['198.51.100.1', '198.51.100.2']);
      const again = await limitedFrom(t.url, '127.0.0.2', ['198.51.100.1', '198.51.100.1']);

      expect(viaProxy).toEqual([200, 200]);
      expect(again).toEqual([200, 429]);
    } finally {
      await t.app.close();
    }
  });

  it('should ignore X-Forwarded-For from an address it does not trust, and with 0', async () => {
    for (const [setting, from] of [
      ['127.0.0.2', '127.0.0.3'],
      ['0', '127.0.0.1'],
      ['10.0.0.0/8', '127.0.0.1'],
    ] as const) {
      const t = await startTestApp({ VITALS_RATE_LIMIT: '2', VITALS_TRUST_PROXY: setting });
      try {
        // A client forging its address gets no fresh bucket per forged value.
        const forged = await limitedFrom(t.url, from, [
          '203.0.113.1',
          '203.0.113.2',
          '203.0.113.3',
        ]);

        expect(forged).toEqual([200, 200, 429]);
      } finally {
        await t.app.close();
      }
    }
  });

  it('should trust a hop count: the client is the address that many proxies back', async () => {
    const t = await startTestApp({ VITALS_RATE_LIMIT: '1', VITALS_TRUST_PROXY: '1' });
    try {
      // With one trusted hop, the right-most forwarded address is the client.
      const first = await limitedFrom(t.url, '127.0.0.4', ['203.0.113.9, 198.51.100.7']);
      const second = await limitedFrom(t.url, '127.0.0.4', ['203.0.113.8, 198.51.100.7']);
      const other = await limitedFrom(t.url, '127.0.0.4', ['203.0.113.9, 198.51.100.6']);

      expect([...first, ...second, ...other]).toEqual([200, 429, 200]);
    } finally {
      await t.app.close();
    }
  });

  it('should make the session cookie Secure only when a trusted proxy says the client used HTTPS', async () => {
    const t = await startTestApp({ VITALS_TOKEN: TOKEN, VITALS_TRUST_PROXY: '127.0.0.2' });
    try {
      const signIn = (from: string) =>
        send(t.url, '/api/v1/session', {
          from,
          method: 'POST',
          headers: { authorization: `Bearer ${TOKEN}`, 'x-forwarded-proto': 'https' },
        });
      const trusted = await signIn('127.0.0.2');
      const untrusted = await signIn('127.0.0.3');

      expect(trusted.status).toBe(204);
      expect(String(trusted.headers['set-cookie'])).toMatch(/; Secure/i);
      expect(untrusted.status).toBe(204);
      expect(String(untrusted.headers['set-cookie'])).not.toMatch(/; Secure/i);
    } finally {
      await t.app.close();
    }
  });
});
