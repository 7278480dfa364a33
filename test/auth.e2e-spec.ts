import request from 'supertest';
import { type TestApp, startTestApp } from './helpers/test-app.js';

const TOKEN = 'test-token-0123456789abcdef';
const WRONG = 'test-token-0123456789abcdeX';

// Every protected route, and what a successful answer looks like.
const ROUTES: Array<[string, RegExp]> = [
  ['/api/v1/metrics', /application\/json/],
  ['/api/v1/metrics/history', /application\/json/],
  ['/api/v1/alerts', /application\/json/],
  ['/metrics', /text\/plain/],
  ['/docs-json', /application\/json/],
  ['/asyncapi.json', /application\/json/],
  ['/docs', /text\/html/],
];
const STREAMS = ['/api/v1/stream', '/stream'];

const expectUnauthorized = (response: request.Response) => {
  expect(response.status).toBe(401);
  expect(response.body).toEqual({
    statusCode: 401,
    error: 'Unauthorized',
    message: 'Missing or invalid credentials: send the token as Authorization: Bearer',
    code: 'UNAUTHORIZED',
  });
  expect(response.headers['www-authenticate']).toBe('Bearer realm="vitals"');
};

describe('with VITALS_TOKEN set', () => {
  let t: TestApp;
  let cookie: string;

  beforeAll(async () => {
    t = await startTestApp({ VITALS_TOKEN: TOKEN });
    const session = await request(t.url)
      .post('/api/v1/session')
      .set('authorization', `Bearer ${TOKEN}`)
      .expect(204);
    cookie = String(session.headers['set-cookie']).split(';')[0]!;
  });

  afterEach(() => t.closeStreams());

  afterAll(async () => {
    await t.app.close();
  });

  it.each(ROUTES)('should refuse %s with no credentials or wrong ones', async (path) => {
    expectUnauthorized(await request(t.url).get(path));
    expectUnauthorized(await request(t.url).get(path).set('authorization', `Bearer ${WRONG}`));
    expectUnauthorized(await request(t.url).get(`${path}?access_token=${WRONG}`));
    expectUnauthorized(await request(t.url).get(path).set('cookie', 'vitals_session=forged'));
    expectUnauthorized(await request(t.url).get(path).set('authorization', `Basic ${TOKEN}`));
  });

  it.each(ROUTES)(
    'should serve %s with the token in a header, the query or the cookie',
    async (path, type) => {
      const byHeader = await request(t.url).get(path).set('authorization', `Bearer ${TOKEN}`);
      const byQuery = await request(t.url).get(`${path}?access_token=${TOKEN}`);
      const byCookie = await request(t.url).get(path).set('cookie', cookie);

      for (const response of [byHeader, byQuery, byCookie]) {
        expect(response.status).toBe(200);
        expect(response.headers['content-type']).toMatch(type);
      }
    },
  );

  it.each(STREAMS)(
    'should start %s only with credentials, and answer 401 JSON otherwise',
    async (path) => {
      const refused = await t.connect(path);
      const wrong = await t.connect(`${path}?access_token=${WRONG}`);
      const byQuery = await t.connect(`${path}?access_token=${TOKEN}`);
      const byCookie = await t.connect(path, { cookie });
      await refused.ended;
      await wrong.ended;
      await byQuery.nextEvents(1);
      await byCookie.nextEvents(1);

      for (const connection of [refused, wrong]) {
        expect(connection.status).toBe(401);
        expect(connection.headers['content-type']).toMatch(/application\/json/);
        expect(JSON.parse(connection.body)).toMatchObject({ code: 'UNAUTHORIZED' });
      }
      for (const connection of [byQuery, byCookie]) {
        expect(connection.status).toBe(200);
        expect(connection.headers['content-type']).toMatch(/text\/event-stream/);
      }
    },
  );

  it('should keep the probes and the dashboard page open', async () => {
    await request(t.url).get('/health/live').expect(200);
    await request(t.url).get('/health/ready').expect(200);
    await request(t.url).get('/').expect(200);
    await request(t.url).get('/js/main.js').expect(200);
    await request(t.url).get('/js/panels/cpu.js').expect(200);
    await request(t.url).get('/css/base.css').expect(200);
    await request(t.url).get('/vendor/uplot/uPlot.esm.js').expect(200);
  });

  it('should answer an unknown path 401, not 404, to a stranger', async () => {
    expectUnauthorized(await request(t.url).get('/api/v1/secret'));
    await request(t.url).get('/api/v1/secret').set('authorization', `Bearer ${TOKEN}`).expect(404);
  });

  it('should set an HttpOnly, SameSite=Strict session cookie that holds no token', async () => {
    const response = await request(t.url)
      .post('/api/v1/session')
      .set('authorization', `Bearer ${TOKEN}`)
      .expect(204);

    const setCookie = String(response.headers['set-cookie']);
    expect(setCookie).toMatch(/^vitals_session=[\w-]+;/);
    expect(setCookie).toMatch(/; HttpOnly/i);
    expect(setCookie).toMatch(/; SameSite=Strict/i);
    expect(setCookie).toMatch(/; Path=\//);
    expect(setCookie).not.toContain(TOKEN);
  });

  it('should refuse to open a session with a wrong token, and clear it on sign-out', async () => {
    expectUnauthorized(
      await request(t.url).post('/api/v1/session').set('authorization', `Bearer ${WRONG}`),
    );
    const out = await request(t.url).delete('/api/v1/session').set('cookie', cookie).expect(204);

    expect(String(out.headers['set-cookie'])).toMatch(/^vitals_session=; Max-Age=0/);
  });

  it('should take access_token out of the URL before validation, so it never shows in an error', async () => {
    const response = await request(t.url)
      .get(`/api/v1/metrics?groups=gpu&access_token=${TOKEN}`)
      .expect(400);

    expect(response.body).toMatchObject({ code: 'INVALID_QUERY' });
    expect(JSON.stringify(response.body)).not.toContain(TOKEN);
  });

  it('should pass with one good credential even beside a stale cookie', async () => {
    await request(t.url)
      .get('/api/v1/metrics')
      .set('cookie', 'vitals_session=stale')
      .set('authorization', `Bearer ${TOKEN}`)
      .expect(200);
  });
});

describe('without VITALS_TOKEN', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });

  afterAll(async () => {
    await t.app.close();
  });

  it('should serve everything and ignore an access_token parameter', async () => {
    await request(t.url).get('/api/v1/metrics?access_token=anything').expect(200);
    await request(t.url).post('/api/v1/session').expect(204);
  });
});
