import request from 'supertest';
import { type TestApp, startTestApp } from './helpers/test-app.js';

describe('the dashboard files', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });

  afterAll(async () => {
    await t.app.close();
  });

  it('should serve the page at / with its script, stylesheet and chart library', async () => {
    const page = await request(t.url).get('/').expect(200);

    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const assets = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
    expect(assets).toEqual(
      expect.arrayContaining([
        'vendor/uplot/uPlot.min.css',
        'css/base.css',
        'js/theme-boot.js',
        'js/main.js',
      ]),
    );
    for (const asset of assets) {
      // Everything the page loads comes from vitals itself, by relative URL so that the page
      // also works behind a proxy that serves vitals under a sub-path.
      // (`./` is the page itself: the header's link back to the overview.)
      expect(asset).toMatch(/^(?:\.\/|[\w-])/);
      expect(asset).not.toMatch(/^[a-z]+:|^\/\//i);
      await request(t.url)
        .get(`/${asset.replace(/^\.\//, '')}`)
        .expect(200);
    }
  });

  it('should serve the chart library with a JavaScript type', async () => {
    // The ES module build, which js/charts.js imports.
    const response = await request(t.url).get('/vendor/uplot/uPlot.esm.js').expect(200);

    expect(response.headers['content-type']).toMatch(/javascript/);
  });

  it('should keep unknown paths a JSON 404, not the page', async () => {
    for (const path of ['/nope', '/api/v1/nope', '/vendor/uplot/nope.js', '/vendor/uplot/']) {
      const response = await request(t.url).get(path).expect(404);

      expect(response.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
    }
  });

  it('should not serve files outside the public folder', async () => {
    // A path that climbs is refused before any file is looked up; a name that is not there is
    // a 404.
    for (const [path, status] of [
      ['/../package.json', 400],
      ['/%2e%2e/package.json', 400],
      ['/vendor/uplot/../../../package.json', 400],
      ['/.env', 404],
      ['/package.json', 404],
    ] as const) {
      const response = await request(t.url).get(path);

      expect(response.status).toBe(status);
      expect(response.text).not.toContain('"dependencies"');
    }
  });
});
