/// <reference lib="dom" />
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { readFrameMeter, startFrameMeter } from '../bench/frame-meter.mjs';
import { ARTIFACTS, launchBrowser, requireChromium } from './helpers/browser.js';
import { eventually } from './helpers/eventually.js';
import { redisClient, TEST_REDIS_URL, uniqueStreamKey } from './helpers/redis.js';
import { ServiceProcess } from './helpers/service-process.js';

// The overview, a gateway's `/`, against the real thing: three compiled agents sampling this
// machine into one Redis stream, a compiled gateway reading it with a short VITALS_HOST_TTL,
// and Chromium. web-2's rules raise a warning at once, db-1's a critical alert too.

const TTL_MS = 5000;
const INTERVAL_MS = 500;
const WARNING_RULES = `
rules:
  - name: memory-watch
    metric: memory.usage
    warning: 1
`;
const CRITICAL_RULES = `
rules:
  - name: uptime-check
    metric: uptime
    critical: 0
${WARNING_RULES.replace('rules:\n', '')}`;

interface Card {
  host: string;
  stale: string | null;
  severity: string | null;
  alert: string;
  cpu: string | null;
  memory: string | null;
  lines: number;
}

/** The cards the grid shows, in its order. */
const cards = (page: Page) =>
  page.$$eval('#overview-grid > .host-card', (items) =>
    items.map((card): Card => ({
      host: (card as HTMLElement).dataset.host ?? '',
      stale: card.getAttribute('data-stale'),
      severity: card.getAttribute('data-severity'),
      alert: card.querySelector('.card-alert')?.textContent ?? '',
      cpu:
        card.querySelector('[data-metric="cpu"] .card-value')?.getAttribute('data-value') ?? null,
      memory:
        card.querySelector('[data-metric="memory"] .card-value')?.getAttribute('data-value') ??
        null,
      lines: [...card.querySelectorAll('.card-sparks .line')].filter(
        (line) => (line.getAttribute('d') ?? '') !== '',
      ).length,
    })),
  );

const hostsShown = async (page: Page) => (await cards(page)).map((card) => card.host);

/** Waits until the grid shows exactly `hosts`, in this order. */
const gridShows = (page: Page, hosts: string[]) =>
  page.waitForFunction(
    (wanted) =>
      [...document.querySelectorAll<HTMLElement>('#overview-grid > .host-card')]
        .map((card) => card.dataset.host)
        .join() === wanted.join(),
    hosts,
  );

/** Waits until the page shows the overview (not a host) with its cards. */
const overviewShown = (page: Page) =>
  page.waitForSelector('body[data-view="overview"] #overview-grid > .host-card');

/** Waits until the page shows `host`'s full view with one of its samples. */
const hostShown = (page: Page, host: string) =>
  page.waitForFunction(
    (name) =>
      document.body.dataset.view === 'host' &&
      document.body.dataset.host === name &&
      document.body.dataset.sampleId !== undefined,
    host,
  );

describe('the overview on a gateway fed by three agents', () => {
  const stream = uniqueStreamKey('overview');
  let dir: string;
  const agents = new Map<string, ServiceProcess>();
  let gateway: ServiceProcess;
  let url: string;
  let startedAt: number;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  const foreign: string[] = [];
  const streams: string[] = [];

  beforeAll(async () => {
    requireChromium();
    dir = mkdtempSync(join(tmpdir(), 'vitals-overview-'));
    writeFileSync(join(dir, 'warning.yaml'), WARNING_RULES);
    writeFileSync(join(dir, 'critical.yaml'), CRITICAL_RULES);
    const shared = {
      VITALS_PORT: '0',
      VITALS_REDIS_URL: TEST_REDIS_URL,
      VITALS_REDIS_STREAM: stream,
    };
    const rules: Record<string, string> = {
      'web-2': join(dir, 'warning.yaml'),
      'db-1': join(dir, 'critical.yaml'),
    };
    for (const host of ['web-1', 'web-2', 'db-1']) {
      agents.set(
        host,
        new ServiceProcess({
          ...shared,
          VITALS_MODE: 'agent',
          VITALS_HOST_NAME: host,
          VITALS_INTERVAL_MS: String(INTERVAL_MS),
          ...(rules[host] ? { VITALS_ALERTS_FILE: rules[host] } : {}),
        }),
      );
    }
    gateway = new ServiceProcess({ ...shared, VITALS_MODE: 'gateway', VITALS_HOST_TTL: '5s' });
    startedAt = Date.now();
    [url] = await Promise.all([
      gateway.listening(),
      ...[...agents.values()].map((agent) => agent.listening()),
    ]);
    await eventually(
      async () =>
        ((await (await fetch(`${url}/api/v1/hosts`)).json()) as { hosts: unknown[] }).hosts
          .length === 3,
    );
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(15_000); // a step that waits in vain says which, within the test's time
    page.on('console', (message) => {
      if (message.type() === 'error') {
        errors.push(message.text());
      }
    });
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('request', (request) => {
      if (!request.url().startsWith(`${url}/`)) {
        foreign.push(request.url());
      }
      if (request.url().includes('/api/v1/stream')) {
        streams.push(request.url());
      }
    });
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    const services = [...agents.values(), gateway].filter(Boolean);
    services.forEach((service) => service.kill());
    await Promise.all(services.map((service) => service.exited)); // none writes after the DEL
    const redis = redisClient();
    await redis.del(stream, `${stream}:alerts`);
    redis.disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  it('should show a card per host with its figures, lines and worst alert, fed by one stream', async () => {
    await page.goto(`${url}/`);
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll('#overview-grid > .host-card')].filter(
          (card) =>
            card.querySelector('[data-metric="cpu"] .card-value')?.getAttribute('data-value') &&
            card.querySelectorAll('.card-sparks .line[d^="M"]').length === 4 &&
            card.getAttribute('data-severity') !== null,
        ).length === 3,
    );
    await page.waitForSelector('.host-card[data-host="db-1"][data-severity="critical"]');

    const shown = await cards(page);
    const history = (await (
      await fetch(`${url}/api/v1/metrics/history?host=web-1&groups=cpu&limit=3600`)
    ).json()) as { samples: Array<{ cpu: { usage: number } }> };

    // Alerts first (worst first), then by name.
    expect(shown.map((card) => [card.host, card.severity, card.stale])).toEqual([
      ['db-1', 'critical', 'false'],
      ['web-2', 'warning', 'false'],
      ['web-1', '', 'false'],
    ]);
    expect(shown[0]!.alert).toMatch(/^critical\s*uptime-check \+1 more$/);
    expect(shown[1]!.alert).toMatch(/^warning\s*memory-watch$/);
    const web1 = shown.find((card) => card.host === 'web-1')!;
    expect(history.samples.map((s) => String(s.cpu.usage))).toContain(web1.cpu);
    expect(Number(web1.memory)).toBeGreaterThan(0);
    expect(await page.textContent('#overview-summary')).toBe('3 hosts, 2 with alerts');
    // One stream of every host's card groups, not one per host.
    expect(streams).toHaveLength(1);
    const query = new URL(streams[0]!).searchParams;
    expect(query.get('groups')).toBe('cpu,memory,disks,network');
    expect(query.has('host')).toBe(false);
  });

  it('should sort by name, alerts, CPU and memory, and keep the order chosen across a reload', async () => {
    await overviewShown(page);

    await page.selectOption('#overview-sort', 'name');
    await gridShows(page, ['db-1', 'web-1', 'web-2']);
    const byName = await hostsShown(page);
    await page.selectOption('#overview-sort', 'cpu');
    await page.waitForFunction(() => location.search === '?sort=cpu');
    const byCpu = await cards(page);
    await page.selectOption('#overview-sort', 'memory');
    const byMemory = await cards(page);
    await page.reload();
    await overviewShown(page);
    const reloaded = {
      search: await page.evaluate(() => location.search),
      sort: await page.inputValue('#overview-sort'),
    };
    await page.selectOption('#overview-sort', 'alerts');

    const descending = (values: Array<string | null>) =>
      values.map(Number).every((v, i, all) => i === 0 || all[i - 1]! >= v);
    expect(byName).toEqual(['db-1', 'web-1', 'web-2']);
    expect(descending(byCpu.map((card) => card.cpu))).toBe(true);
    expect(descending(byMemory.map((card) => card.memory))).toBe(true);
    expect(reloaded).toEqual({ search: '?sort=memory', sort: 'memory' });
    expect(await page.evaluate(() => location.search)).toBe('');
  });

  it('should filter by name and by alerts, keeping the filters through a host view and back', async () => {
    await overviewShown(page);

    await page.fill('#overview-filter', 'WEB');
    await gridShows(page, ['web-2', 'web-1']);
    await page.check('#overview-alerts-only');
    await gridShows(page, ['web-2']);
    const filtered = {
      search: await page.evaluate(() => location.search),
      summary: await page.textContent('#overview-summary'),
    };
    await page.click('.host-card[data-host="web-2"]');
    await hostShown(page, 'web-2');
    await page.goBack();
    await gridShows(page, ['web-2']);
    const back = {
      filter: await page.inputValue('#overview-filter'),
      alertsOnly: await page.isChecked('#overview-alerts-only'),
    };
    await page.fill('#overview-filter', '');
    await page.uncheck('#overview-alerts-only');
    await gridShows(page, ['db-1', 'web-2', 'web-1']);

    expect(filtered).toEqual({
      search: '?q=WEB&alerts=only',
      summary: '3 hosts, 2 with alerts; 1 shown',
    });
    expect(back).toEqual({ filter: 'WEB', alertsOnly: true });
    expect(await page.evaluate(() => location.search)).toBe('');
  });

  it("should open a host's full view on a click or Enter, and return on back or All hosts", async () => {
    await overviewShown(page);

    await page.click('.host-card[data-host="db-1"]', { position: { x: 120, y: 140 } }); // a figure
    await hostShown(page, 'db-1');
    await page.waitForSelector('#alerts li[data-rule="uptime-check"]'); // loaded after history
    const opened = await page.evaluate(() => ({
      search: location.search,
      overviewHidden: document.getElementById('overview')?.hidden,
      picker: (document.getElementById('host-picker') as HTMLSelectElement).value,
      alerts: document.querySelectorAll('#alerts li[data-rule]').length,
    }));
    await page.goBack();
    await overviewShown(page);
    const returned = await page.evaluate(() => location.search);
    // From the filter, Tab goes through the controls to the first card's link.
    await page.focus('#overview-alerts-only');
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement?.textContent);
    await page.focus('.host-card[data-host="web-1"] a');
    await page.keyboard.press('Enter');
    await hostShown(page, 'web-1');
    await page.screenshot({ path: join(ARTIFACTS, 'overview-host-view.png') });
    await page.click('#overview-link');
    await overviewShown(page);

    expect(opened).toEqual({
      search: '?host=db-1',
      overviewHidden: true,
      picker: 'db-1',
      alerts: 2,
    });
    expect(returned).toBe('');
    expect(focused).toBe('db-1');
    expect(await page.evaluate(() => location.search)).toBe('');
  });

  it('should keep frames short while the cards update', async () => {
    await overviewShown(page);

    await startFrameMeter(page);
    await page.waitForTimeout(5000);
    const frames = await readFrameMeter(page);
    writeFileSync(join(ARTIFACTS, 'overview-frames.json'), `${JSON.stringify(frames, null, 2)}\n`);

    // A bound no loaded machine misses; the 16 ms target with 200 hosts is the bench's
    // (`npm run bench -- overview`).
    expect(frames.frames).toBeGreaterThan(50);
    expect(frames.workMs.p95).toBeLessThan(100);
  });

  it('should read well in both themes and at 360 px wide', async () => {
    await overviewShown(page);
    // Lines across the cards (they span at least 30 s) for the README's picture.
    await page.waitForTimeout(Math.max(INTERVAL_MS * 2, startedAt + 32_000 - Date.now()));
    const bottom = await page.evaluate(
      () => document.getElementById('overview-grid')!.getBoundingClientRect().bottom,
    );

    const clip = { x: 0, y: 0, width: 1280, height: Math.ceil(bottom) + 16 };
    await page.emulateMedia({ colorScheme: 'light' });
    await page.screenshot({ path: join(ARTIFACTS, 'overview-light.png'), clip });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: join(ARTIFACTS, 'overview-dark.png'), clip });
    const theme = await page.evaluate(() => document.documentElement.dataset.theme);
    await page.setViewportSize({ width: 360, height: 780 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(ARTIFACTS, 'overview-360-dark.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.screenshot({ path: join(ARTIFACTS, 'overview-360.png'), fullPage: true });
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    await page.setViewportSize({ width: 1280, height: 800 });

    expect(theme).toBe('dark');
    expect(width).toBeLessThanOrEqual(360);
  }, 60_000);

  it('should grey a host that stops reporting and say it is stale, then forget it after the TTL', async () => {
    await overviewShown(page);
    const web1 = '.host-card[data-host="web-1"]';

    agents.get('web-1')!.kill();
    const killedAt = Date.now();
    await page.waitForSelector(`${web1}[data-stale="true"]`, { timeout: 10_000 });
    const stale = await page.evaluate((selector) => {
      const card = document.querySelector(selector)!;
      return {
        mark: (card.querySelector('.stale-mark') as HTMLElement).checkVisibility(),
        state: card.querySelector('.card-state')?.textContent,
        background: getComputedStyle(card).backgroundColor,
        others: getComputedStyle(document.querySelector('.host-card[data-host="web-2"]')!)
          .backgroundColor,
      };
    }, web1);
    const summary = await page.textContent('#overview-summary');
    await page.screenshot({ path: join(ARTIFACTS, 'overview-stale.png') });
    await page.waitForSelector(web1, { state: 'detached', timeout: 15_000 });
    const forgottenAfter = Date.now() - killedAt;

    expect(stale.mark).toBe(true);
    expect(stale.state).toMatch(/^stale\s*last seen \d+ s ago$/);
    expect(stale.background).not.toBe(stale.others); // greyed, as well as said
    expect(summary).toBe('3 hosts, 2 with alerts, 1 stale');
    expect(forgottenAfter).toBeGreaterThanOrEqual(TTL_MS - 1000);
    expect(await hostsShown(page)).toEqual(['db-1', 'web-2']);
    expect(await page.textContent('#overview-summary')).toBe('2 hosts, 2 with alerts');
  }, 40_000);

  it('should have logged no errors and asked no other origin for anything', () => {
    expect(errors).toEqual([]);
    expect(foreign).toEqual([]);
  });
});

describe('the dashboard of a single host', () => {
  const stream = uniqueStreamKey('overview-single');
  let browser: Browser;

  beforeAll(async () => {
    requireChromium();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    const redis = redisClient();
    await redis.del(stream, `${stream}:alerts`);
    redis.disconnect();
  });

  it.each([
    ['standalone', {}],
    ['agent', { VITALS_REDIS_URL: TEST_REDIS_URL, VITALS_REDIS_STREAM: stream }],
  ])('should open straight onto the host when vitals runs %s', async (mode, env) => {
    const service = new ServiceProcess({ VITALS_PORT: '0', VITALS_MODE: mode, ...env });
    try {
      const base = await service.listening();
      const page = await browser.newPage();

      await page.goto(`${base}/?host=elsewhere`);
      await page.waitForFunction(() => document.body.dataset.sampleId !== undefined);
      const shown = await page.evaluate(() => ({
        view: document.body.dataset.view,
        overview: document.getElementById('overview')?.hidden,
        link: document.getElementById('overview-link')?.hidden,
        picker: document.getElementById('host-pick')?.hidden,
      }));
      await page.close();

      // One host: no grid, no way to one, and no host= (it names no other host).
      expect(shown).toEqual({ view: 'host', overview: true, link: true, picker: true });
    } finally {
      service.kill();
      await service.exited;
    }
  });
});
