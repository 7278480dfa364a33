import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import fc from 'fast-check';
import { eventually } from './helpers/eventually.js';
import { redisClient, TEST_REDIS_URL, uniqueStreamKey } from './helpers/redis.js';
import { type TestApp, startTestApp } from './helpers/test-app.js';

interface Answer {
  status: number;
  type: string;
  body: string;
}

const ROUTES = [
  '/',
  '/api/v1/metrics',
  '/api/v1/metrics/history',
  '/api/v1/stream',
  '/stream',
  '/api/v1/alerts',
  '/api/v1/hosts',
  '/api/v1/session',
  '/metrics',
  '/health/live',
  '/health/ready',
  '/docs-json',
  '/asyncapi.json',
];
const KEYS = [
  'groups',
  'every',
  'replay',
  'alerts',
  'lastEventId',
  'since',
  'limit',
  'access_token',
  'host',
  '__proto__',
  'constructor',
];

// Values a stranger might send: huge, negative, fractional and exponent numbers, booleans in
// disguise, traversal, unicode, control characters, empty, and long strings.
const value = fc.oneof(
  fc.constantFrom('', '-1', '0', '1e309', '9'.repeat(400), '-9007199254740993', '0x10', '1.5'),
  fc.constantFrom('true', 'TRUE', 'yes', 'null', 'undefined', 'NaN', 'Infinity', '[]', '{}'),
  fc.constantFrom('../../etc/passwd', '..%2f..%2f', 'cpu,cpu', 'cpu,,memory', ',', 'CPU'),
  fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).map(String),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.string({ minLength: 1000, maxLength: 3000 }),
);
const key = fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 12 }));
// Repeated keys come in naturally; some pairs use array syntax.
const pair = fc.tuple(key, value, fc.boolean()).map(([k, v, asArray]) => {
  const name = encodeURIComponent(k) + (asArray ? '[]' : '');
  return `${name}=${encodeURIComponent(v)}`;
});
const rawPiece = fc.constantFrom('%', '%zz', '%E0%A4%A', '%00', '..', '%2e%2e', '//', '%2F', ';');
const path = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...ROUTES) },
  fc.webPath(),
  fc.tuple(fc.constantFrom(...ROUTES), rawPiece).map(([route, piece]) => `${route}/${piece}`),
);
const query = fc.oneof(
  fc.array(pair, { maxLength: 6 }).map((pairs) => pairs.join('&')),
  fc
    .tuple(fc.array(pair, { maxLength: 3 }), rawPiece)
    .map(([pairs, raw]) => [...pairs, raw].join('&')),
);
// Header values must be printable: anything else a client library refuses to send.
const lastEventId = fc.option(
  fc.oneof(
    fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
    // Redis Stream ids (a gateway's), which a standalone vitals must refuse cleanly.
    fc
      .tuple(fc.bigInt({ min: 0n, max: 2n ** 60n }), fc.bigInt({ min: 0n, max: 2n ** 70n }))
      .map(([ms, seq]) => `${ms}-${seq}`),
    fc.string({
      unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
      maxLength: 64,
    }),
  ),
  { nil: undefined },
);
const method = fc.constantFrom('GET', 'GET', 'GET', 'HEAD', 'POST', 'DELETE', 'OPTIONS', 'PUT');

/** One raw request; a stream is read only up to its headers, then dropped. */
function send(url: string, method: string, target: string, headers: Record<string, string>) {
  return new Promise<Answer>((resolve, reject) => {
    const req = httpRequest(`${url}${target}`, { method, headers }, (res) => {
      const type = String(res.headers['content-type'] ?? '');
      if (type.startsWith('text/event-stream')) {
        res.destroy();
        resolve({ status: res.statusCode ?? 0, type, body: '' });
        return;
      }
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Sends `numRuns` generated requests to `url`; each must get a clean answer. */
async function answersEveryRequest(url: string, numRuns: number): Promise<void> {
  await fc.assert(
    fc.asyncProperty(path, query, lastEventId, method, async (p, q, id, m) => {
      const target = q ? `${p}?${q}` : p;
      const answer = await send(url, m, target, id === undefined ? {} : { 'last-event-id': id });

      expect(answer.status).toBeLessThan(500);
      if (answer.status >= 400 && m !== 'HEAD') {
        expect(answer.type).toMatch(/^application\/json/);
        const body = JSON.parse(answer.body) as Record<string, unknown>;
        expect(body).toEqual({
          statusCode: answer.status,
          error: expect.any(String) as string,
          message: expect.any(String) as string,
          code: expect.stringMatching(/^[A-Z][A-Z_]*$/) as string,
        });
      }
      if (answer.type.startsWith('text/event-stream')) {
        expect(answer.status).toBe(200);
      }
    }),
    // `//` once answered 500: a target that reads as a protocol-relative URL.
    { numRuns, examples: [['//', '', undefined, 'GET']] },
  );
}

describe('hostile input', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ VITALS_RATE_LIMIT: '0', VITALS_MAX_STREAMS_PER_IP: '0' });
  });

  afterAll(async () => {
    await t.app.close();
  });

  it('should answer every generated request without a 5xx, with the JSON error shape, and never start a stream on a bad request', async () => {
    await answersEveryRequest(t.url, 2000);

    // Still serving, and what it serves is a sample.
    const after = await send(t.url, 'GET', '/api/v1/metrics', {});
    expect(after.status).toBe(200);
    expect(JSON.parse(after.body)).toMatchObject({
      host: 'test-host',
      cpu: expect.any(Object) as object,
    });
  }, 120_000);

  it.each([
    [
      'headers past 16 KiB',
      `GET /api/v1/metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      431,
      'HEADERS_TOO_LARGE',
    ],
    [
      'a URL past 16 KiB',
      `GET /api/v1/metrics?groups=${'x'.repeat(20_000)} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`,
      431,
      'HEADERS_TOO_LARGE',
    ],
    ['a malformed request line', 'GET\x01 nonsense\r\n\r\n', 400, 'BAD_REQUEST'],
  ])('should answer %s with a JSON error and close', async (_, raw, status, code) => {
    const { port } = new URL(t.url);
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => socket.write(raw));
      let text = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (text += chunk));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });

    expect(reply.split('\r\n')[0]).toBe(
      `HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}`,
    );
    expect(JSON.parse(reply.slice(reply.indexOf('\r\n\r\n') + 4))).toMatchObject({
      statusCode: status,
      code,
    });
  });
});

describe('hostile input on a gateway', () => {
  const stream = uniqueStreamKey('hostile');
  const shared = { VITALS_REDIS_URL: TEST_REDIS_URL, VITALS_REDIS_STREAM: stream };
  const limits = { VITALS_RATE_LIMIT: '0', VITALS_MAX_STREAMS_PER_IP: '0' };
  let agent: TestApp;
  let gateway: TestApp;

  beforeAll(async () => {
    agent = await startTestApp({ ...shared, VITALS_MODE: 'agent' });
    gateway = await startTestApp({ ...shared, ...limits, VITALS_MODE: 'gateway' });
    await eventually(
      async () => (await send(gateway.url, 'GET', '/api/v1/metrics', {})).status === 200,
    );
  });

  afterAll(async () => {
    await Promise.all([agent.app.close(), gateway.app.close()]);
    const redis = redisClient();
    await redis.del(stream);
    redis.disconnect();
  });

  it('should answer every generated request without a 5xx, with Redis ids in the mix', async () => {
    await answersEveryRequest(gateway.url, 500);

    const after = await send(gateway.url, 'GET', '/api/v1/metrics?host=test-host', {});
    expect(after.status).toBe(200);
  }, 120_000);
});
