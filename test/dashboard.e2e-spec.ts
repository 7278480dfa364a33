/// <reference lib="dom" />
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { SampleHubService } from '../src/hub/sample-hub.service.js';
import { type RollupsAnswer, rollupsAnswer } from './dashboard/fixtures/rollups-answer.js';
import { ARTIFACTS, launchBrowser, requireChromium } from './helpers/browser.js';
import { eventually } from './helpers/eventually.js';
import { FakeHostReader } from './helpers/fake-host.reader.js';
import { redisClient, TEST_REDIS_URL, uniqueStreamKey } from './helpers/redis.js';
import { sampleReading } from './helpers/readings.js';
import { type TestApp, startTestApp } from './helpers/test-app.js';

const CORES = 4;

const RULES = `
rules:
  - name: always
    metric: uptime
    warning: 0
  - name: high-memory
    metric: memory.usage
    warning: 20
    critical: 90
`;

interface Shown {
  sampleId: string | undefined;
  cpuValue: string | null;
  cpuText: string | null;
  memoryValue: string | null;
  memoryText: string | null;
}

describe('the dashboard in a browser', () => {
  let t: TestApp;
  let dir: string;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  const foreign: string[] = [];

  beforeAll(async () => {
    requireChromium();
    dir = mkdtempSync(join(tmpdir(), 'vitals-dashboard-'));
    writeFileSync(join(dir, 'alerts.yaml'), RULES);
    t = await startTestApp(
      { VITALS_INTERVAL_MS: '500', VITALS_ALERTS_FILE: join(dir, 'alerts.yaml') },
      new FakeHostReader(CORES),
    );
    browser = await launchBrowser();
  });

  beforeEach(async () => {
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('console', (message) => {
      if (message.type() === 'error') {
        errors.push(message.text());
      }
    });
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('request', (request) => {
      if (!request.url().startsWith(`${t.url}/`)) {
        foreign.push(request.url());
      }
    });
    await page.goto(`${t.url}/`);
    await page.waitForSelector('#status[data-state="live"]');
    await page.waitForFunction(() => document.body.dataset.sampleId !== undefined);
  });

  afterEach(async () => {
    await page.close();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('should show the CPU and memory of the sample it says it shows, as the API serves it', async () => {
    const shown = await page.evaluate((): Shown => ({
      sampleId: document.body.dataset.sampleId,
      cpuValue: document.querySelector('#cpu-usage')?.getAttribute('data-value') ?? null,
      cpuText: document.querySelector('#cpu-usage')?.textContent?.trim() ?? null,
      memoryValue: document.querySelector('#memory-usage')?.getAttribute('data-value') ?? null,
      memoryText: document.querySelector('#memory-usage')?.textContent?.trim() ?? null,
    }));
    const history = (await (await fetch(`${t.url}/api/v1/metrics/history`)).json()) as {
      samples: Array<{ id: number; cpu: { usage: number }; memory: { usage: number } }>;
    };

    const sample = history.samples.find((s) => String(s.id) === shown.sampleId);
    expect(sample).toBeDefined();
    expect(shown.cpuValue).toBe(String(sample!.cpu.usage));
    expect(shown.cpuText).toBe(`${sample!.cpu.usage.toFixed(1)} %`);
    expect(shown.memoryValue).toBe(String(sample!.memory.usage));
    expect(shown.memoryText).toBe(`${sample!.memory.usage.toFixed(1)} %`);
  });

  it('should add points to the CPU chart as samples arrive', async () => {
    const points = async () => Number(await page.getAttribute('#cpu-chart', 'data-points'));
    const before = await points();

    await page.waitForFunction(
      (n) => Number(document.querySelector('#cpu-chart')?.getAttribute('data-points')) > n,
      before,
    );

    expect(await points()).toBeGreaterThan(before);
    expect(await page.locator('#cpu-chart canvas').count()).toBeGreaterThan(0);
  });

  it('should draw a bar per core', async () => {
    expect(await page.locator('#cores [data-core]').count()).toBe(CORES);
  });

  it('should list active alerts and colour a value past its warning threshold', async () => {
    await page.waitForSelector('#alerts li[data-rule="always"][data-severity="warning"]');

    expect(await page.getAttribute('#memory-usage', 'class')).toMatch(/\bwarning\b/);
  });

  it('should switch the theme and remember it across a reload', async () => {
    const theme = () => page.evaluate(() => document.documentElement.dataset.theme);
    const before = await theme();

    await page.click('#theme-toggle');
    const after = await theme();
    await page.reload();
    await page.waitForSelector('#status[data-state="live"]');

    expect(['light', 'dark']).toContain(after);
    expect(after).not.toBe(before);
    expect(await theme()).toBe(after);
  });

  it('should fit a 360 px wide screen without sideways scrolling', async () => {
    await page.setViewportSize({ width: 360, height: 780 });
    await page.waitForTimeout(300); // charts resize on the next frame

    const width = await page.evaluate(() => document.documentElement.scrollWidth);

    expect(width).toBeLessThanOrEqual(360);
  });

  it('should keep each figure clear of the next at desktop width when the values are long', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.waitForTimeout(300); // charts resize on the next frame

    // The longest texts these figures take, measured in the same task (no sample lands between).
    const overflowing = await page.evaluate(() => {
      const longest: Record<string, string> = {
        'memory-used': '1023.9 GiB / 1023.9 GiB',
        'memory-available': '1023.9 GiB',
        'swap-used': '1023.9 GiB / 1023.9 GiB',
        'cpu-temp': '105.5 °C',
      };
      for (const [id, text] of Object.entries(longest)) {
        document.getElementById(id)!.textContent = text;
      }
      return [...document.querySelectorAll('.stats > div')]
        .filter((figure) => {
          const value = figure.querySelector('dd')!;
          return value.scrollWidth > value.clientWidth;
        })
        .map((figure) => figure.querySelector('dt')?.textContent);
    });
    mkdirSync(ARTIFACTS, { recursive: true });
    await page
      .locator('section[aria-labelledby="memory-title"]')
      .screenshot({ path: join(ARTIFACTS, 'dashboard-memory.png') });

    expect(overflowing).toEqual([]);
  });

  it('should show a dash for each figure of a group the host cannot provide when it is null', async () => {
    const host = t.host;
    host.failingGroups.add('cpu').add('memory').add('diskIo');
    const after = Number(await page.evaluate(() => document.body.dataset.sampleId));
    await page.waitForFunction((id) => Number(document.body.dataset.sampleId) > id + 1, after);

    const shown = await page.evaluate(() =>
      [
        'cpu-usage',
        'cpu-user',
        'load-1',
        'memory-usage',
        'memory-used',
        'swap-usage',
        'io-read',
      ].map((id) => document.getElementById(id)?.textContent?.trim()),
    );
    host.failingGroups.clear();

    expect(shown).toEqual(new Array(7).fill('—'));
    expect(errors).toEqual([]);
  });

  // The real route when it answers with points; else (not built yet, or nothing rolled up so
  // far) a JSON answer built exactly to the contract's shape (fixtures/rollups-answer.ts).
  it('should switch the charts to the rollups of a range, keep it in the URL and across a reload', async () => {
    const probe = await fetch(`${t.url}/api/v1/metrics/rollups?from=-24h`);
    const real = probe.ok && ((await probe.json()) as RollupsAnswer).points.length > 0;
    if (!real) {
      await page.route('**/api/v1/metrics/rollups**', (route) =>
        route.fulfill({
          contentType: 'application/json',
          body: JSON.stringify(rollupsAnswer('test-host')),
        }),
      );
    }
    const answered = () => page.waitForResponse((r) => r.url().includes('/api/v1/metrics/rollups'));
    const shown = async (answer: Promise<import('playwright-core').Response>) => {
      const response = await answer;
      const body = (await response.json()) as RollupsAnswer;
      await page.waitForSelector('#range-pick[data-state="shown"]');
      const seen = await page.evaluate(() => ({
        search: location.search,
        pressed: [...document.querySelectorAll('#range-pick [aria-pressed="true"]')].map(
          (b) => (b as HTMLElement).dataset.range,
        ),
        points: document.querySelector('#cpu-chart')?.getAttribute('data-points'),
        cpu: document.querySelector('#cpu-chart .u-legend .u-series:nth-child(2) .u-value')
          ?.textContent,
      }));
      return { url: response.url(), body, page: seen };
    };

    let answer = answered();
    await page.click('#range-pick button[data-range="24h"]');
    const first = await shown(answer);
    answer = answered();
    await page.reload();
    const reloaded = await shown(answer);
    await page.click('#range-pick button[data-range="live"]');
    await page.waitForSelector('#range-pick[data-state="live"]');
    const live = await page.evaluate(() => location.search);

    const avg = (body: RollupsAnswer) => `${body.points.at(-1)!.cpu.usage.avg.toFixed(1)} %`;
    expect(new URL(first.url).searchParams.get('from')).toBe('-24h');
    expect(new URL(first.url).searchParams.has('step')).toBe(false);
    for (const view of [first, reloaded]) {
      expect(view.page).toEqual({
        search: '?range=24h',
        pressed: ['24h'],
        points: String(view.body.points.length),
        cpu: avg(view.body),
      });
    }
    expect(live).toBe('');
    expect(errors).toEqual([]);
  });

  it('should draw a day of rollups as averages in min–max bands, with interfaces that come and go', async () => {
    const day = rollupsAnswer('test-host');
    await page.route('**/api/v1/metrics/rollups**', (route) =>
      route.fulfill({ contentType: 'application/json', body: JSON.stringify(day) }),
    );
    await page.goto(`${t.url}/?range=24h`);
    await page.waitForSelector('#range-pick[data-state="shown"]');
    await page.waitForTimeout(1000); // live samples keep coming: they must not redraw the range
    const drawn = await page.evaluate(() => ({
      points: document.querySelector('#cpu-chart')?.getAttribute('data-points'),
      network: [...document.querySelectorAll('#network-chart .u-legend .u-series')]
        .filter((row) => getComputedStyle(row).display !== 'none')
        .map((row) => row.querySelector('.u-label')?.textContent),
      live: document.querySelector('#cpu-usage')?.getAttribute('data-value'),
    }));
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-24h.png'), fullPage: true });
    await page.setViewportSize({ width: 360, height: 780 });
    await page.waitForTimeout(300); // charts resize on the next frame
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-24h-360.png') });
    const width = await page.evaluate(() => document.documentElement.scrollWidth);

    expect(drawn.points).toBe(String(day.points.length));
    expect(drawn.network).toEqual(['Time', 'eth0 rx', 'eth0 tx', 'wlan0 rx', 'wlan0 tx']);
    expect(drawn.live).not.toBe(''); // the panels of current values stay live
    expect(width).toBeLessThanOrEqual(360);
    expect(errors).toEqual([]);
  });

  it('should have logged no errors and asked no other origin for anything', async () => {
    await page.waitForTimeout(1500); // a few live samples
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard.png'), fullPage: true });

    expect(errors).toEqual([]);
    expect(foreign).toEqual([]);
  });
});

// Ten minutes at 1 Hz, without waiting ten minutes: samples are published straight into the
// hub of an app whose own sampler ticks once a minute, and the page takes them as they come.
describe('the dashboard left open', () => {
  let t: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    t = await startTestApp({ VITALS_INTERVAL_MS: '60000', VITALS_HISTORY: '1000' });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.app.close();
  });

  it('should keep 300 points per chart and not grow its heap over ten minutes of samples', async () => {
    const hub = t.app.get(SampleHubService);
    let at = Date.now();
    const publish = (count: number): number => {
      let id = 0;
      for (let i = 0; i < count; i++) {
        at += 1000;
        const reading = sampleReading((i * 7) % 100);
        id = hub.publish({ ...reading, timestamp: new Date(at).toISOString() }).id;
      }
      return id;
    };
    const page = await browser.newPage();
    const shows = (id: number) =>
      page.waitForFunction((last) => document.body.dataset.sampleId === String(last), id, {
        timeout: 20_000,
      });
    const heap = () =>
      page.evaluate(() => {
        (window as unknown as { gc: () => void }).gc();
        return (performance as unknown as { memory: { usedJSHeapSize: number } }).memory
          .usedJSHeapSize;
      });

    const loaded = publish(400);
    await page.goto(`${t.url}/`);
    await shows(loaded);
    // Five minutes first, so compiled code and caches are warm before measuring.
    for (let minute = 0; minute < 5; minute++) {
      await shows(publish(60));
    }
    const before = await heap();
    for (let minute = 0; minute < 10; minute++) {
      await shows(publish(60));
    }
    const after = await heap();

    expect(await page.getAttribute('#cpu-chart', 'data-points')).toBe('300');
    // A leak of one parsed sample per event would be megabytes here.
    expect(after - before).toBeLessThan(256 * 1024);
    await page.close();
  });
});

describe('the dashboard when vitals requires a token', () => {
  const TOKEN = 'dashboard-token-0123456789';
  let t: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    t = await startTestApp({ VITALS_TOKEN: TOKEN });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.app.close();
  });

  it('should ask for the token once, then work through the session cookie', async () => {
    const page = await browser.newPage();
    const urls: string[] = [];
    page.on('request', (request) => urls.push(request.url()));

    await page.goto(`${t.url}/`);
    await page.waitForSelector('#login[open]');
    await page.fill('#login-token', 'not-the-token-at-all');
    await page.click('#login button[type="submit"]');
    await page.waitForSelector('#login-error:not([hidden])');
    await page.fill('#login-token', TOKEN);
    await page.click('#login button[type="submit"]');
    await page.waitForSelector('#status[data-state="live"]');
    await page.waitForFunction(() => document.body.dataset.sampleId !== undefined);
    await page.reload();
    await page.waitForSelector('#status[data-state="live"]');

    expect(await page.locator('#login[open]').count()).toBe(0);
    expect(urls.filter((url) => url.includes(TOKEN))).toEqual([]);
    const cookies = await page.context().cookies();
    expect(cookies.find((cookie) => cookie.name === 'vitals_session')).toMatchObject({
      httpOnly: true,
      sameSite: 'Strict',
    });
    await page.close();
  });
});

describe('the dashboard on a gateway', () => {
  const stream = uniqueStreamKey('dashboard');
  const shared = { VITALS_REDIS_URL: TEST_REDIS_URL, VITALS_REDIS_STREAM: stream };
  let apps: TestApp[];
  let gateway: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    // One at a time: each reads its settings from process.env while it starts.
    apps = [
      await startTestApp({ ...shared, VITALS_MODE: 'agent', VITALS_HOST_NAME: 'agent-1' }),
      await startTestApp(
        { ...shared, VITALS_MODE: 'agent', VITALS_HOST_NAME: 'agent-2' },
        new FakeHostReader(CORES),
      ),
      await startTestApp({ ...shared, VITALS_MODE: 'gateway' }),
    ];
    gateway = apps[2]!;
    await eventually(
      async () =>
        ((await (await fetch(`${gateway.url}/api/v1/hosts`)).json()) as { hosts: unknown[] }).hosts
          .length === 2,
    );
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all(apps.map((app) => app.app.close()));
    const redis = redisClient();
    await redis.del(stream);
    redis.disconnect();
  });

  it("should pick a host, show only that host's samples, and remember the choice", async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const streams: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/api/v1/stream')) {
        streams.push(request.url());
      }
    });
    const shown = () =>
      page.evaluate(() => ({
        host: document.body.dataset.host,
        sampleId: document.body.dataset.sampleId,
        cores: document.querySelectorAll('#cores > *').length,
      }));

    // A gateway's / is the overview (dashboard-overview.e2e-spec.ts); a host's view is ?host=.
    await page.goto(`${gateway.url}/?host=agent-1`);
    await page.waitForSelector('#host-picker:not([hidden])');
    await page.waitForFunction(() => document.body.dataset.sampleId !== undefined);
    const options = await page.locator('#host-picker option').allTextContents();
    const first = await shown();
    await page.selectOption('#host-picker', 'agent-2');
    await page.waitForFunction(
      () =>
        document.body.dataset.host === 'agent-2' && document.body.dataset.sampleId !== undefined,
    );
    const second = await shown();
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-gateway.png') });
    await page.reload();
    await page.waitForFunction(() => document.body.dataset.sampleId !== undefined);
    const afterReload = await shown();
    await page.close();

    expect(options).toEqual(['agent-1', 'agent-2']);
    expect(first).toMatchObject({ host: 'agent-1', cores: 2 });
    // agent-2's reader has four cores: the page shows its sample, by its Redis id.
    expect(second).toMatchObject({ host: 'agent-2', cores: CORES });
    expect(second.sampleId).toMatch(/^\d+-\d+$/);
    expect(afterReload.host).toBe('agent-2');
    expect(streams.at(-1)).toContain('host=agent-2');
    expect(errors).toEqual([]);
  });
});
