/// <reference lib="dom" />
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type Page, chromium } from 'playwright-core';
import { rollupsAnswer } from './dashboard/fixtures/rollups-answer.js';
import { ARTIFACTS, CHROMIUM, launchBrowser, requireChromium } from './helpers/browser.js';
import { eventually } from './helpers/eventually.js';
import { redisClient, TEST_REDIS_URL, uniqueStreamKey } from './helpers/redis.js';
import { type TestApp, startTestApp } from './helpers/test-app.js';

// A dashboard left on a wall: ?kiosk (no chrome, the screen kept awake), installable from its
// manifest, and one cursor across every chart.

/** What the page's wake lock stub saw, on window (installed before the page's scripts run). */
interface WakeLockLog {
  wakeLockLog: string[];
  wakeLockSentinels: Array<{ release(): Promise<void> }>;
}

/** navigator.wakeLock standing in for the browser's, recording requests and releases. */
function stubWakeLock(): void {
  const log: string[] = [];
  class Sentinel extends EventTarget {
    released = false;
    readonly type = 'screen';
    release(): Promise<void> {
      this.released = true;
      log.push('release');
      this.dispatchEvent(new Event('release'));
      return Promise.resolve();
    }
  }
  const sentinels: Sentinel[] = [];
  Object.defineProperty(navigator, 'wakeLock', {
    configurable: true,
    value: {
      request(type: string) {
        log.push(`request ${type}`);
        const sentinel = new Sentinel();
        sentinels.push(sentinel);
        return Promise.resolve(sentinel);
      },
    },
  });
  Object.assign(window, { wakeLockLog: log, wakeLockSentinels: sentinels });
}

/** As a tab switch does: the document's visibility, and the event. */
const setVisibility = (page: Page, state: 'hidden' | 'visible') =>
  page.evaluate((visibility) => {
    Object.defineProperty(document, 'visibilityState', {
      configurable: true,
      get: () => visibility,
    });
    Object.defineProperty(document, 'hidden', {
      configurable: true,
      get: () => visibility === 'hidden',
    });
    document.dispatchEvent(new Event('visibilitychange'));
  }, state);

const wakeLockLog = (page: Page) =>
  page.evaluate(() => [...(window as unknown as WakeLockLog).wakeLockLog]);

/** Whether each element carrying data-chrome is shown, by its id or class. */
const chromeShown = (page: Page) =>
  page.evaluate(() =>
    Object.fromEntries(
      [...document.querySelectorAll<HTMLElement>('[data-chrome]')].map(
        (node): [string, boolean] => [
          node.id || node.className.split(' ')[0]!,
          node.checkVisibility({ visibilityProperty: true }),
        ],
      ),
    ),
  );

/** Whether each of the page's data is shown, by selector. */
const dataShown = (page: Page) =>
  page.evaluate(() =>
    Object.fromEntries(
      ['#host', '#status', '#alerts', '#cpu-usage', '#cpu-chart canvas', '#memory-usage'].map(
        (selector): [string, boolean] => [
          selector,
          document.querySelector(selector)?.checkVisibility({ visibilityProperty: true }) ?? false,
        ],
      ),
    ),
  );

const live = async (page: Page) => {
  await page.waitForSelector('#status[data-state="live"]');
  await page.waitForFunction(() => document.body.dataset.sampleId !== undefined);
};

describe('the kiosk view in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    requireChromium();
    t = await startTestApp({ VITALS_INTERVAL_MS: '500' });
    browser = await launchBrowser();
  });

  beforeEach(async () => {
    errors.length = 0;
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') {
        errors.push(message.text());
      }
    });
    page.on('pageerror', (error) => errors.push(error.message));
  });

  afterEach(async () => {
    await page.close();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.app.close();
  });

  it('should hide the chrome and show the data when the URL asks for the kiosk view', async () => {
    await page.goto(`${t.url}/?kiosk`);
    await live(page);

    const chrome = await chromeShown(page);
    const data = await dataShown(page);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-kiosk.png') });

    expect(await page.evaluate(() => document.documentElement.classList.contains('kiosk'))).toBe(
      true,
    );
    expect(chrome).toMatchObject({
      'host-pick': false,
      range: false,
      'theme-toggle': false,
      'notify-toggle': false,
      foot: false,
    });
    expect(Object.values(chrome).some(Boolean)).toBe(false);
    expect(Object.values(data)).toEqual(new Array(6).fill(true));
    // Headless Chromium's own wake lock granted or refused the request: either way, silently.
    expect(errors).toEqual([]);
  });

  it('should ask for a screen wake lock, and again once the page is visible after the browser released it', async () => {
    await page.addInitScript(stubWakeLock);
    await page.goto(`${t.url}/?kiosk`);
    await live(page);
    const first = await wakeLockLog(page);

    // What the browser does when the tab is hidden: it releases the lock.
    await page.evaluate(() => (window as unknown as WakeLockLog).wakeLockSentinels[0]!.release());
    await setVisibility(page, 'hidden');
    const hidden = await wakeLockLog(page);
    await setVisibility(page, 'visible');
    await page.waitForFunction(() => (window as unknown as WakeLockLog).wakeLockLog.length > 2);
    const visible = await wakeLockLog(page);

    expect(first).toEqual(['request screen']);
    expect(hidden).toEqual(['request screen', 'release']);
    expect(visible).toEqual(['request screen', 'release', 'request screen']);
    expect(errors).toEqual([]);
  });

  it('should show the chrome and ask for no wake lock when the URL does not ask for the kiosk view', async () => {
    await page.addInitScript(stubWakeLock);
    await page.goto(`${t.url}/?kiosk=0`);
    await live(page);

    const chrome = await chromeShown(page);

    expect(await page.evaluate(() => document.documentElement.classList.contains('kiosk'))).toBe(
      false,
    );
    expect(chrome).toMatchObject({ range: true, 'theme-toggle': true, foot: true });
    expect(await wakeLockLog(page)).toEqual([]);
  });

  it.each([
    [
      'refuses the wake lock',
      () => {
        Object.defineProperty(navigator, 'wakeLock', {
          configurable: true,
          value: { request: () => Promise.reject(new DOMException('refused', 'NotAllowedError')) },
        });
      },
    ],
    [
      'has no wake lock',
      () => {
        delete (Navigator.prototype as { wakeLock?: unknown }).wakeLock;
      },
    ],
  ])('should still hide the chrome, and say nothing, when the browser %s', async (_, browserIs) => {
    await page.addInitScript(browserIs);
    await page.goto(`${t.url}/?kiosk`);
    await live(page);
    await page.waitForTimeout(300); // the refusal has landed

    const chrome = await chromeShown(page);

    expect(Object.values(chrome).some(Boolean)).toBe(false);
    expect(errors).toEqual([]);
  });
});

describe('the kiosk view of a gateway in a browser', () => {
  const stream = uniqueStreamKey('kiosk');
  const shared = { VITALS_REDIS_URL: TEST_REDIS_URL, VITALS_REDIS_STREAM: stream };
  let apps: TestApp[];
  let gateway: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    requireChromium();
    // One at a time: each reads its settings from process.env while it starts.
    apps = [
      await startTestApp({ ...shared, VITALS_MODE: 'agent', VITALS_HOST_NAME: 'web-1' }),
      await startTestApp({ ...shared, VITALS_MODE: 'gateway' }),
    ];
    gateway = apps[1]!;
    await eventually(
      async () =>
        ((await (await fetch(`${gateway.url}/api/v1/hosts`)).json()) as { hosts: unknown[] }).hosts
          .length === 1,
    );
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all((apps ?? []).map((app) => app.app.close()));
    const redis = redisClient();
    await redis.del(stream, `${stream}:alerts`);
    redis.disconnect();
  });

  it("should hide the overview's chrome, and the host view's after a card is opened and the page reloaded", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${gateway.url}/?kiosk`);
    await page.waitForSelector('#overview-grid > li a');

    const overview = await chromeShown(page);
    const cards = await page.locator('#overview-grid > li').count();
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-kiosk-overview.png') });
    await page.click('#overview-grid > li a');
    await live(page);
    await page.reload();
    await live(page);
    const host = await chromeShown(page);
    const url = new URL(page.url());
    await page.close();

    expect(overview).toMatchObject({ 'overview-controls': false });
    expect(Object.values(overview).some(Boolean)).toBe(false);
    expect(cards).toBe(1);
    expect(url.searchParams.get('host')).toBe('web-1');
    expect(url.searchParams.has('kiosk')).toBe(true);
    expect(host).toMatchObject({ range: false, 'theme-toggle': false, foot: false });
    expect(Object.values(host).some(Boolean)).toBe(false);
  });
});

describe('one cursor across the charts in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;

  /** Each drawn chart's legend time, by chart id; 'latest' where no moment is hovered. */
  const legendTimes = () =>
    page.evaluate(() =>
      Object.fromEntries(
        [...document.querySelectorAll<HTMLElement>('.chart')]
          .filter(
            (chart) =>
              chart.checkVisibility({ visibilityProperty: true }) &&
              chart.querySelector('.u-legend'),
          )
          .map((chart): [string, string | null | undefined] => [
            chart.id,
            chart.querySelector('.u-legend .u-series:first-child .u-value')?.textContent,
          ]),
      ),
    );

  /** Resolves once every drawn chart's legend shows one moment (not 'latest'), or all 'latest'. */
  const legendsAgree = (hovered: boolean) =>
    page.waitForFunction((wanted) => {
      const times = [...document.querySelectorAll<HTMLElement>('.chart .u-legend')].map(
        (legend) => legend.querySelector('.u-series:first-child .u-value')?.textContent,
      );
      return (
        times.length > 0 &&
        times.every((time) => time === times[0]) &&
        (times[0] === 'latest') !== wanted
      );
    }, hovered);

  /** Moves the mouse over the plot of `selector`, at `fraction` of its width. */
  const hover = async (selector: string, fraction: number) => {
    await page.locator(selector).scrollIntoViewIfNeeded();
    const box = (await page.locator(`${selector} .u-over`).boundingBox())!;
    await page.mouse.move(box.x + box.width * fraction, box.y + box.height / 2);
  };

  beforeAll(async () => {
    requireChromium();
    t = await startTestApp({ VITALS_INTERVAL_MS: '500' }); // the fake host has one GPU
    browser = await launchBrowser();
  });

  beforeEach(async () => {
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  });

  afterEach(async () => {
    await page.close();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.app.close();
  });

  it("should show the hovered moment in every chart's legend, the GPU's too, when one chart is hovered live", async () => {
    await page.goto(`${t.url}/`);
    await live(page);
    await page.waitForFunction(
      () => Number(document.querySelector('#cpu-chart')?.getAttribute('data-points')) > 4,
    );
    await page.waitForSelector('#gpu-0-utilization-chart canvas');

    await hover('#memory-chart', 0.5);
    await legendsAgree(true);
    const hovered = await legendTimes();
    await page.mouse.move(1, 1);
    await legendsAgree(false);

    expect(Object.keys(hovered)).toEqual(
      expect.arrayContaining([
        'cpu-chart',
        'cpu-modes-chart',
        'memory-chart',
        'disk-io-chart',
        'network-chart',
        'gpu-0-utilization-chart',
        'gpu-0-memory-chart',
      ]),
    );
    expect(hovered['cpu-chart']).toMatch(/^\d{1,2}:\d{2}:\d{2}/);
  });

  it('should show one moment across the charts, the GPU one hovered, when a range is shown', async () => {
    const day = rollupsAnswer('test-host');
    const stats = (avg: number) => ({ min: avg - 5, avg, max: avg + 5 });
    const points = day.points.map((point, i) => ({
      ...point,
      gpus: [
        {
          index: 0,
          name: 'NVIDIA A10',
          vendor: 'nvidia',
          utilization: stats(40 + (i % 20)),
          memoryUsage: stats(50),
        },
      ],
    }));
    await page.route('**/api/v1/metrics/rollups**', (route) =>
      route.fulfill({ contentType: 'application/json', body: JSON.stringify({ ...day, points }) }),
    );
    await page.goto(`${t.url}/?range=24h`);
    await page.waitForSelector('#range-pick[data-state="shown"]');
    await page.waitForSelector('#gpu-0-utilization-chart canvas');

    await hover('#gpu-0-utilization-chart', 0.3);
    await legendsAgree(true);
    const times = await legendTimes();

    expect(Object.keys(times)).toHaveLength(7);
    expect(new Set(Object.values(times)).size).toBe(1);
  });
});

describe('the dashboard installed as an app', () => {
  const TOKEN = 'kiosk-token-0123456789abcdef';
  let t: TestApp;

  beforeAll(async () => {
    requireChromium();
    t = await startTestApp({ VITALS_TOKEN: TOKEN });
  });

  afterAll(async () => {
    await t?.app.close();
  });

  it('should serve the manifest and every icon it and the page name without the token when vitals requires one', async () => {
    const manifest = await fetch(`${t.url}/manifest.webmanifest`);
    const body = (await manifest.json()) as {
      icons: Array<{ src: string; sizes: string; type: string; purpose?: string }>;
    };
    const page = await (await fetch(`${t.url}/`)).text();
    const touch = /<link rel="apple-touch-icon" href="([^"]+)"/.exec(page)?.[1];

    const named = [...body.icons, { src: touch!, sizes: '180x180', type: 'image/png' }];
    const served = await Promise.all(
      named.map(async (icon) => {
        const res = await fetch(new URL(icon.src, manifest.url));
        const bytes = Buffer.from(await res.arrayBuffer());
        // A PNG's width and height: big-endian, at bytes 16 and 20 (its IHDR chunk).
        const png = bytes.subarray(1, 4).toString() === 'PNG';
        return {
          src: icon.src,
          status: res.status,
          type: res.headers.get('content-type')?.split(';')[0],
          sizes: png ? `${bytes.readUInt32BE(16)}x${bytes.readUInt32BE(20)}` : 'any',
          small: bytes.length < 16 * 1024,
        };
      }),
    );

    expect(manifest.status).toBe(200);
    expect(manifest.headers.get('content-type')).toMatch(/^application\/manifest\+json\b/);
    expect(body).toMatchObject({
      short_name: 'vitals',
      start_url: './',
      scope: './',
      display: 'standalone',
    });
    expect(body.icons.map((icon) => [icon.sizes, icon.purpose])).toEqual([
      ['any', 'any'],
      ['192x192', 'any'],
      ['512x512', 'any'],
      ['512x512', 'maskable'],
    ]);
    // Each served, without the token, as what it says it is, small.
    expect(served).toEqual(
      named.map((icon) => ({
        src: icon.src,
        status: 200,
        type: icon.type,
        sizes: icon.sizes,
        small: true,
      })),
    );
  });

  it('should give Chromium a manifest it parses without errors and an app it can install, signed out', async () => {
    // A profile on disk: Chromium does not install from an incognito context (newPage's).
    const context = await chromium.launchPersistentContext('', {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(`${t.url}/`);
      await page.waitForSelector('#login[open]');
      const cdp = await context.newCDPSession(page);

      const manifest = await cdp.send('Page.getAppManifest');
      const installable = await cdp.send('Page.getInstallabilityErrors');
      const themeColors = await page.evaluate(() =>
        [...document.querySelectorAll('meta[name="theme-color"]')].map((meta) => [
          meta.getAttribute('media'),
          meta.getAttribute('content'),
        ]),
      );

      expect(manifest.url).toBe(`${t.url}/manifest.webmanifest`);
      expect(manifest.errors).toEqual([]);
      expect(manifest.manifest).toMatchObject({
        name: expect.stringContaining('vitals') as string,
        display: 'kStandalone',
        startUrl: `${t.url}/`,
        scope: `${t.url}/`,
      });
      expect(installable.installabilityErrors).toEqual([]);
      expect(themeColors).toEqual([
        ['(prefers-color-scheme: light)', '#ffffff'],
        ['(prefers-color-scheme: dark)', '#161b22'],
      ]);
    } finally {
      await context.close();
    }
  });
});
