/// <reference lib="dom" />
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { ContainerStatsDto } from '../src/hub/dto/container-stats.dto.js';
import { ARTIFACTS, launchBrowser, requireChromium } from './helpers/browser.js';
import { FakeHostReader } from './helpers/fake-host.reader.js';
import { hostReading } from './helpers/readings.js';
import { type TestApp, startTestApp } from './helpers/test-app.js';

const MiB = 1024 ** 2;

// A rule on the containers group: the page marks a container's CPU past it as the server would.
const RULES = `
rules:
  - name: container-cpu
    metric: containers[].cpu
    warning: 100
    critical: 150
`;

/** The fake host's one container with `overrides`. */
const container = (overrides: Partial<ContainerStatsDto>): ContainerStatsDto => ({
  ...hostReading().containers[0]!,
  ...overrides,
});

// Four containers whose every column orders them differently.
const WEB = container({ id: 'aaaaaaaaaaa1', name: 'web', cpu: 45, memory: 300 * MiB });
const DB = container({
  id: 'aaaaaaaaaaa2',
  name: 'db',
  cpu: 180, // past the rule's critical
  cpuLimit: null,
  memory: 200 * MiB,
  memoryLimit: null,
  memoryUsage: null,
});
const UNNAMED = container({
  id: 'aaaaaaaaaaa3',
  name: null,
  image: null,
  runtime: 'containerd',
  cpu: 5,
  memory: 470 * MiB,
  memoryUsage: 91.8, // of 512 MiB: near its limit
  rxBytesPerSec: null,
  txBytesPerSec: null,
  networkFrom: WEB.id,
});
const CACHE = container({ id: 'aaaaaaaaaaa4', name: 'cache', cpu: 10, memory: 50 * MiB });
const SEVERAL = [WEB, DB, UNNAMED, CACHE];

interface Row {
  id: string | undefined;
  label: string | undefined;
  mono: boolean;
  runtime: string | undefined;
  detail: string | undefined;
  cpu: string | undefined;
  cpuValue: string | null;
  cpuLimit: string | undefined;
  cpuMark: string | undefined;
  cpuClass: string;
  memory: string | undefined;
  memoryValue: string | null;
  memoryLimit: string | undefined;
  memoryMark: string | undefined;
  memoryClass: string;
  network: string | undefined;
  pids: string | undefined;
}

/** The rows as shown, top to bottom, with the id of the sample they show. */
const shownRows = (page: Page) =>
  page.evaluate(() => {
    const text = (node: Element | null | undefined) => node?.textContent?.trim();
    const visible = (node: Element) => (node as HTMLElement).offsetParent !== null;
    const rows = [...document.querySelectorAll('#containers tr')].map((row): Row => {
      const [name, cpu, memory, network, , pids] = [...row.children];
      return {
        id: (row as HTMLElement).dataset.id,
        label: text(name?.querySelector('.container-label')),
        mono: name?.querySelector('.container-label')?.classList.contains('mono') ?? false,
        runtime: text(name?.querySelector('.runtime')),
        detail: text(name?.querySelector('.sub')),
        cpu: text(cpu?.querySelector('.figure-value')),
        cpuValue: cpu?.getAttribute('data-value') ?? null,
        cpuLimit: text(cpu?.querySelector('.sub')),
        cpuMark: text(cpu?.querySelector('.level-mark')),
        cpuClass: cpu?.className ?? '',
        memory: text(memory?.querySelector('.figure-value')),
        memoryValue: memory?.getAttribute('data-value') ?? null,
        memoryLimit: text(memory?.querySelector('.sub')),
        memoryMark: text(memory?.querySelector('.level-mark')),
        memoryClass: memory?.className ?? '',
        network: [...(network?.querySelectorAll('.pair-line, .sub') ?? [])]
          .filter(visible)
          .map((line) => line.textContent?.trim())
          .join(' | '),
        pids: text(pids),
      };
    });
    return { sampleId: document.body.dataset.sampleId, rows };
  });

const order = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('#containers tr')].map((row) => row.dataset.id),
  );

const sortedBy = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('#containers-panel th[aria-sort]')].map(
      (th) => `${th.dataset.sort}:${th.getAttribute('aria-sort')}`,
    ),
  );

/** Resolves once the rows are in `ids`' order. */
const rowsInOrder = (page: Page, ids: string[]) =>
  page.waitForFunction(
    (wanted) =>
      [...document.querySelectorAll<HTMLElement>('#containers tr')]
        .map((row) => row.dataset.id)
        .join() === wanted.join(),
    ids,
  );

/** Resolves once `count` more samples are shown. */
const samplesLater = async (page: Page, count: number) => {
  const now = Number(await page.evaluate(() => document.body.dataset.sampleId));
  await page.waitForFunction((id) => Number(document.body.dataset.sampleId) >= id, now + count);
};

describe('the containers panel in a browser', () => {
  let t: TestApp;
  let dir: string;
  let host: FakeHostReader;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    requireChromium();
    dir = mkdtempSync(join(tmpdir(), 'vitals-dashboard-containers-'));
    writeFileSync(join(dir, 'alerts.yaml'), RULES);
    host = new FakeHostReader();
    t = await startTestApp(
      { VITALS_INTERVAL_MS: '500', VITALS_ALERTS_FILE: join(dir, 'alerts.yaml') },
      host,
    );
    browser = await launchBrowser();
  });

  beforeEach(async () => {
    host.containers = undefined; // the reading's one container
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('console', (message) => {
      if (message.type() === 'error') {
        errors.push(message.text());
      }
    });
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${t.url}/`);
    await page.waitForSelector('#status[data-state="live"]');
    await page.waitForSelector('#containers tr');
  });

  afterEach(async () => {
    await page.close();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("should list the host's container with its name, CPU and memory as the API serves them", async () => {
    const shown = await shownRows(page);
    const history = (await (await fetch(`${t.url}/api/v1/metrics/history`)).json()) as {
      samples: Array<{ id: number; containers: ContainerStatsDto[] }>;
    };

    const sample = history.samples.find((s) => String(s.id) === shown.sampleId);
    expect(sample?.containers).toHaveLength(1);
    const served = sample!.containers[0]!;
    expect(shown.rows).toEqual([
      {
        id: served.id,
        label: served.name,
        mono: false,
        runtime: served.runtime,
        detail: served.image,
        cpu: `${served.cpu!.toFixed(1)} %`,
        cpuValue: String(served.cpu),
        cpuLimit: `${(served.cpu! / served.cpuLimit!).toFixed(1)} % of ${served.cpuLimit} cores`,
        cpuMark: '',
        cpuClass: 'num container-cpu',
        memory: `${(served.memory! / MiB).toFixed(1)} MiB`,
        memoryValue: String(served.memory),
        memoryLimit: `${served.memoryUsage!.toFixed(1)} % of ${served.memoryLimit! / MiB}.0 MiB`,
        memoryMark: '',
        memoryClass: 'num container-memory',
        network: '1000 B/s in | 200 B/s out',
        pids: String(served.pids),
      },
    ]);
    expect(await page.isVisible('#containers-panel')).toBe(true);
    expect(await page.textContent('#containers-count')).toBe('1');
  });

  it('should sort by a column on a click and from the keyboard, and keep the sort across samples and a reload', async () => {
    host.containers = SEVERAL;
    const [web, db, unnamed, cache] = SEVERAL.map((c) => c.id);

    // By CPU, busiest first, until told otherwise.
    await rowsInOrder(page, [db!, web!, cache!, unnamed!]);
    const initially = await sortedBy(page);
    await page.click('#containers-panel th[data-sort="name"] button');
    await rowsInOrder(page, [unnamed!, cache!, db!, web!]); // the unnamed one by its id
    const byName = await sortedBy(page);
    await page.click('#containers-panel th[data-sort="name"] button');
    await rowsInOrder(page, [web!, db!, cache!, unnamed!]);
    const byNameDown = await sortedBy(page);
    // From the keyboard: Tab from the name's header past CPU's to memory's, then Enter, Space.
    await page.focus('#containers-panel th[data-sort="name"] button');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement?.closest('th')?.dataset.sort);
    await page.keyboard.press('Enter');
    await rowsInOrder(page, [unnamed!, web!, db!, cache!]); // 470, 300, 200, 50 MiB
    const byMemory = await sortedBy(page);
    await page.keyboard.press('Space');
    await rowsInOrder(page, [cache!, db!, web!, unnamed!]);
    await samplesLater(page, 2);
    const afterSamples = await order(page);
    await page.reload();
    await page.waitForSelector('#status[data-state="live"]');
    await rowsInOrder(page, [cache!, db!, web!, unnamed!]);
    const afterReload = await sortedBy(page);

    expect(initially).toEqual(['cpu:descending']);
    expect(byName).toEqual(['name:ascending']);
    expect(byNameDown).toEqual(['name:descending']);
    expect(focused).toBe('memory');
    expect(byMemory).toEqual(['memory:descending']);
    expect(afterSamples).toEqual([cache, db, web, unnamed]);
    expect(afterReload).toEqual(['memory:ascending']);
  });

  it('should mark a figure past a rule or near its limit in words as well as colour, and name a shared network', async () => {
    host.containers = SEVERAL;
    await page.waitForSelector(`#containers tr[data-id="${UNNAMED.id}"]`);
    await samplesLater(page, 1); // the alert rules are loaded by now

    const rows = new Map((await shownRows(page)).rows.map((row) => [row.id, row]));
    mkdirSync(ARTIFACTS, { recursive: true });
    await page
      .locator('#containers-panel')
      .screenshot({ path: join(ARTIFACTS, 'dashboard-containers.png') });

    expect(rows.get(DB.id)).toMatchObject({
      cpu: '180.0 %',
      cpuLimit: '',
      cpuMark: 'critical',
      cpuClass: expect.stringMatching(/\bcritical\b/) as unknown,
      memoryLimit: '',
    });
    expect(rows.get(UNNAMED.id)).toMatchObject({
      label: UNNAMED.id,
      mono: true,
      runtime: 'containerd',
      detail: '',
      memory: '470.0 MiB',
      memoryLimit: '91.8 % of 512.0 MiB',
      memoryMark: 'near limit',
      memoryClass: expect.stringMatching(/\bwarning\b/) as unknown,
      network: 'shared with web',
    });
    expect(rows.get(WEB.id)).toMatchObject({ cpuMark: '', memoryMark: '' });
  });

  it('should add points to a new container’s sparkline as samples arrive, hidden from screen readers', async () => {
    const fresh = container({ id: 'bbbbbbbbbbb1', name: 'fresh' });
    host.containers = [fresh];
    const spark = `#containers tr[data-id="${fresh.id}"] svg.spark`;
    await page.waitForSelector(spark);
    const points = async () => Number(await page.getAttribute(spark, 'data-points'));
    const before = await points();

    await page.waitForFunction(
      ([selector, n]) => Number(document.querySelector(selector)?.getAttribute('data-points')) > n,
      [spark, before + 1] as const,
    );
    const after = await points();
    const path = await page.getAttribute(`${spark} path`, 'd');

    expect(before).toBeGreaterThanOrEqual(1);
    expect(after).toBeGreaterThan(before + 1);
    expect(path?.match(/[ML]/g)?.length).toBe(after); // one reading per sample, none missing
    expect(await page.getAttribute(spark, 'aria-hidden')).toBe('true');
    expect(await page.locator('#containers tr').count()).toBe(1); // the one before it is gone
  });

  it('should say there are no containers when the host has none', async () => {
    host.containers = [];

    await page.waitForSelector('#containers-empty', { state: 'visible' });

    expect(await page.textContent('#containers-empty')).toBe('No containers on this host');
    expect(await page.isVisible('#containers-table')).toBe(false);
    expect(await page.textContent('#containers-count')).toBe('0');
    expect(await page.locator('#containers tr').count()).toBe(0);
  });

  it('should hide the panel when the host cannot list containers', async () => {
    host.containers = null;

    await page.waitForSelector('#containers-panel', { state: 'hidden' });
    await samplesLater(page, 1);

    expect(await page.isVisible('#containers-panel')).toBe(false);
  });

  it('should fit a 360 px wide screen with several containers, the table scrolling in its box', async () => {
    host.containers = SEVERAL;
    await page.waitForSelector(`#containers tr[data-id="${UNNAMED.id}"]`);
    await page.setViewportSize({ width: 360, height: 780 });
    await page.waitForTimeout(300); // charts resize on the next frame

    const width = await page.evaluate(() => document.documentElement.scrollWidth);

    expect(width).toBeLessThanOrEqual(360);
  });

  it('should have logged no errors', () => {
    expect(errors).toEqual([]);
  });
});
