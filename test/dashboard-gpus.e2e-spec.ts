/// <reference lib="dom" />
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { GpuStatsDto } from '../src/hub/dto/gpu-stats.dto.js';
import type { ProcessInfoDto } from '../src/hub/dto/process-info.dto.js';
import type { ProcessesDto } from '../src/hub/dto/processes.dto.js';
import { rollupsAnswer } from './dashboard/fixtures/rollups-answer.js';
import { ARTIFACTS, launchBrowser, requireChromium } from './helpers/browser.js';
import { FakeHostReader } from './helpers/fake-host.reader.js';
import { hostReading } from './helpers/readings.js';
import { type TestApp, startTestApp } from './helpers/test-app.js';

const GiB = 1024 ** 3;

// Rules on the gpus group: the page marks a GPU's figures past them as the server would.
const RULES = `
rules:
  - name: gpu-busy
    metric: gpus[].utilization
    warning: 95
  - name: gpu-hot
    metric: gpus[].temperatureC
    warning: 80
    critical: 90
`;

/** The fake host, whose top processes a test can also set (to hold GPU memory). */
class GpuHostReader extends FakeHostReader {
  /** The top processes every reading lists from now on; undefined: the reading's own. */
  top: ProcessInfoDto[] | undefined = undefined;

  override async readProcesses(): Promise<ProcessesDto> {
    const processes = await super.readProcesses();
    return this.top === undefined ? processes : { ...processes, top: structuredClone(this.top) };
  }
}

/** The fake host's NVIDIA A10, every figure read, with `overrides`. */
const nvidia = (overrides: Partial<GpuStatsDto> = {}): GpuStatsDto => ({
  ...hostReading().gpus[0]!,
  utilization: 87,
  ...overrides,
});

/** An Intel GPU without perf access: no utilisation, no memory of its own, a clock. */
const INTEL: GpuStatsDto = {
  index: 1,
  name: 'Intel Arc A380',
  vendor: 'intel',
  utilization: null,
  memoryUsed: null,
  memoryTotal: null,
  memoryUsage: null,
  temperatureC: null,
  powerW: null,
  powerLimitW: null,
  fanPercent: null,
  clockMHz: 2000,
  clockMaxMHz: 2450,
};

interface Figure {
  label: string | undefined;
  value: string | undefined;
  mark: string | undefined;
  sub: string | undefined;
  data: string | null;
  level: string;
}

interface Panel {
  index: string | undefined;
  title: string | undefined;
  figures: Figure[];
  charts: Array<{ id: string; shown: boolean; points: string | null; label: string | null }>;
}

/** The GPU panels as shown, in page order. */
const shownPanels = (page: Page) =>
  page.evaluate(() => {
    const text = (node: Element | null | undefined) => node?.textContent?.trim();
    const visible = (node: Element) => (node as HTMLElement).offsetParent !== null;
    return [...document.querySelectorAll<HTMLElement>('#gpus > section')].map((panel): Panel => ({
      index: panel.dataset.index,
      title: [...panel.querySelectorAll('h2 :is(.gpu-title, .gpu-name, .vendor)')]
        .map((span) => span.textContent)
        .join(' | '),
      figures: [...panel.querySelectorAll('.stats > div')].map((row) => {
        const dd = row.querySelector('dd');
        return {
          label: text(row.querySelector('dt')),
          value: text(dd?.querySelector('.figure-value')),
          mark: text(dd?.querySelector('.level-mark')),
          sub: text(dd?.querySelector('.sub')),
          data: dd?.getAttribute('data-value') ?? null,
          level: ['warning', 'critical'].find((c) => dd?.classList.contains(c)) ?? '',
        };
      }),
      charts: [...panel.querySelectorAll<HTMLElement>('.chart')].map((chart) => ({
        id: chart.id,
        shown: visible(chart),
        points: chart.getAttribute('data-points'),
        label: chart.getAttribute('aria-label'),
      })),
    }));
  });

/** Resolves once the GPU panels shown are those of `indexes`, in that order. */
const panelsAre = (page: Page, indexes: number[]) =>
  page.waitForFunction(
    (wanted) =>
      [...document.querySelectorAll<HTMLElement>('#gpus > section')]
        .map((panel) => panel.dataset.index)
        .join() === wanted.join(),
    indexes,
  );

/** Resolves once `count` more samples are shown. */
const samplesLater = async (page: Page, count: number) => {
  const now = Number(await page.evaluate(() => document.body.dataset.sampleId));
  await page.waitForFunction((id) => Number(document.body.dataset.sampleId) >= id, now + count);
};

/** The `figure` (its dt) of GPU `index` as shown, once `text` is its value. */
const figureShows = (page: Page, index: number, label: string, text: string) =>
  page.waitForFunction(
    ([i, wanted, value]) =>
      [...document.querySelectorAll(`#gpus > section[data-index="${i}"] .stats > div`)].some(
        (row) =>
          row.querySelector('dt')?.textContent === wanted &&
          row.querySelector('.figure-value')?.textContent === value,
      ),
    [index, label, text] as const,
  );

/** Where the GPU panels are on the page: the box around them all. */
const gpusBox = (page: Page) =>
  page.evaluate(() => {
    const boxes = [...document.querySelectorAll('#gpus > section')].map((panel) =>
      panel.getBoundingClientRect(),
    );
    const left = Math.min(...boxes.map((b) => b.left)) - 8;
    const top = Math.min(...boxes.map((b) => b.top)) + window.scrollY - 8;
    const right = Math.max(...boxes.map((b) => b.right)) + 8;
    const bottom = Math.max(...boxes.map((b) => b.bottom)) + window.scrollY + 8;
    return { x: left, y: top, width: right - left, height: bottom - top };
  });

const NVIDIA_FIGURES: Figure[] = [
  { label: 'Utilisation', value: '87.0 %', mark: '', sub: '', data: '87', level: '' },
  {
    label: 'Memory',
    value: '25.0 %',
    mark: '',
    sub: '6.0 GiB of 24.0 GiB',
    data: '25',
    level: '',
  },
  { label: 'Temperature', value: '61.0 °C', mark: '', sub: '', data: '61', level: '' },
  { label: 'Power', value: '143.2 W', mark: '', sub: 'of 150 W limit', data: '143.2', level: '' },
  { label: 'Fan', value: '40.0 %', mark: '', sub: '', data: '40', level: '' },
  { label: 'Clock', value: '1695 MHz', mark: '', sub: 'of 1695 MHz max', data: '1695', level: '' },
];

describe('the GPU panels in a browser', () => {
  let t: TestApp;
  let dir: string;
  let host: GpuHostReader;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    requireChromium();
    dir = mkdtempSync(join(tmpdir(), 'vitals-dashboard-gpus-'));
    writeFileSync(join(dir, 'alerts.yaml'), RULES);
    host = new GpuHostReader();
    t = await startTestApp(
      {
        VITALS_INTERVAL_MS: '500',
        VITALS_PROCESSES_INTERVAL_MS: '1000',
        VITALS_ALERTS_FILE: join(dir, 'alerts.yaml'),
      },
      host,
    );
    browser = await launchBrowser();
  });

  beforeEach(async () => {
    host.gpus = [nvidia(), INTEL];
    host.top = undefined;
    host.failingGroups.clear();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('console', (message) => {
      if (message.type() === 'error') {
        errors.push(message.text());
      }
    });
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${t.url}/`);
    await page.waitForSelector('#status[data-state="live"]');
    await panelsAre(page, [0, 1]);
  });

  afterEach(async () => {
    await page.close();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('should show a panel per GPU with its figures and charts, a dash for each figure not reported, when the host has an NVIDIA and an Intel GPU', async () => {
    await samplesLater(page, 1);

    const [a10, arc] = await shownPanels(page);
    const nvidiaTree = await page.locator('#gpus > section[data-index="0"]').ariaSnapshot();
    const intelTree = await page.locator('#gpus > section[data-index="1"]').ariaSnapshot();

    expect(a10).toMatchObject({ index: '0', title: 'GPU 0 | NVIDIA A10 | NVIDIA' });
    expect(a10!.figures).toEqual(NVIDIA_FIGURES);
    expect(a10!.charts).toEqual([
      {
        id: 'gpu-0-utilization-chart',
        shown: true,
        points: expect.stringMatching(/^[1-9]\d*$/) as unknown,
        label: 'GPU 0 utilisation over the last minutes',
      },
      {
        id: 'gpu-0-memory-chart',
        shown: true,
        points: expect.stringMatching(/^[1-9]\d*$/) as unknown,
        label: 'GPU 0 memory usage over the last minutes',
      },
    ]);
    expect(arc).toMatchObject({ index: '1', title: 'GPU 1 | Intel Arc A380 | Intel' });
    const dash = { value: '—', mark: '', data: '', level: '' };
    expect(arc!.figures).toEqual([
      { ...dash, label: 'Utilisation', sub: 'not exposed by the driver' },
      { ...dash, label: 'Memory', sub: '' },
      { ...dash, label: 'Temperature', sub: '' },
      { ...dash, label: 'Power', sub: '' },
      { ...dash, label: 'Fan', sub: '' },
      {
        label: 'Clock',
        value: '2000 MHz',
        mark: '',
        sub: 'of 2450 MHz max',
        data: '2000',
        level: '',
      },
    ]);
    // No readings to chart: no empty charts, the figures above say why.
    expect(arc!.charts.map((c) => c.shown)).toEqual([false, false]);
    // What assistive technology gets: the region named by its title, figures by their terms,
    // and for a dash, its meaning.
    expect(nvidiaTree).toContain('region "GPU 0: NVIDIA A10, NVIDIA"');
    expect(nvidiaTree).toMatch(/- term: Utilisation\n\s*- definition: 87\.0 %/);
    expect(nvidiaTree).toMatch(/- term: Power\n\s*- definition: 143\.2 W of 150 W limit/);
    expect(nvidiaTree).toContain('figure "GPU 0 utilisation over the last minutes"');
    expect(intelTree).toContain('region "GPU 1: Intel Arc A380, Intel"');
    expect(intelTree).toMatch(/- term: Utilisation\n\s*- definition: not exposed by the driver/);
    for (const label of ['Memory', 'Temperature', 'Power', 'Fan']) {
      expect(intelTree).toMatch(new RegExp(`- term: ${label}\\n\\s*- definition: not reported`));
    }
    expect(intelTree).not.toContain('—');
    expect(await page.isVisible('#gpus')).toBe(true);
  });

  it('should update the figures and charts in place when the values change between samples', async () => {
    await samplesLater(page, 1);
    const before = await page.evaluate(() => {
      const panel = document.querySelector<HTMLElement>('#gpus > section[data-index="0"]')!;
      (panel as HTMLElement & { kept?: boolean }).kept = true;
      const value = panel.querySelector('.figure-value') as HTMLElement & { kept?: boolean };
      value.kept = true;
      return Number(panel.querySelector('.chart')?.getAttribute('data-points'));
    });

    host.gpus = [
      nvidia({ utilization: 12.5, memoryUsed: 18 * GiB, memoryUsage: 75, powerW: 96.04 }),
      { ...INTEL, clockMHz: 2450 },
    ];
    await figureShows(page, 0, 'Utilisation', '12.5 %');
    await figureShows(page, 1, 'Clock', '2450 MHz');
    await samplesLater(page, 1);
    const [a10, arc] = await shownPanels(page);
    const kept = await page.evaluate(() => {
      const panel = document.querySelector('#gpus > section[data-index="0"]') as HTMLElement & {
        kept?: boolean;
      };
      const value = panel.querySelector('.figure-value') as HTMLElement & { kept?: boolean };
      return [panel.kept, value.kept];
    });
    const legend = await page.textContent(
      '#gpu-0-utilization-chart .u-legend .u-series:nth-child(2) .u-value',
    );

    expect(a10!.figures.slice(0, 2)).toEqual([
      { label: 'Utilisation', value: '12.5 %', mark: '', sub: '', data: '12.5', level: '' },
      {
        label: 'Memory',
        value: '75.0 %',
        mark: '',
        sub: '18.0 GiB of 24.0 GiB',
        data: '75',
        level: '',
      },
    ]);
    expect(a10!.figures[3]).toMatchObject({ value: '96.0 W', sub: 'of 150 W limit' });
    expect(arc!.figures[5]).toMatchObject({ value: '2450 MHz', sub: 'of 2450 MHz max' });
    expect(Number(a10!.charts[0]!.points)).toBeGreaterThan(before);
    expect(legend).toBe('12.5 %');
    expect(kept).toEqual([true, true]); // the same nodes, their text changed
  });

  it('should mark a figure past a rule in words as well as colour', async () => {
    host.gpus = [nvidia({ utilization: 97, temperatureC: 93 }), INTEL];
    await figureShows(page, 0, 'Temperature', '93.0 °C');
    await samplesLater(page, 1); // the alert rules are loaded by now

    const [a10] = await shownPanels(page);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page
      .locator('#gpus > section[data-index="0"]')
      .screenshot({ path: join(ARTIFACTS, 'dashboard-gpu-marked.png') });

    expect(a10!.figures[0]).toMatchObject({ value: '97.0 %', mark: 'warning', level: 'warning' });
    expect(a10!.figures[1]).toMatchObject({ mark: '', level: '' }); // no rule on memory here
    expect(a10!.figures[2]).toMatchObject({
      value: '93.0 °C',
      mark: 'critical',
      level: 'critical',
    });
  });

  it("should remove a GPU's panel when it is gone from the sample, and add one that appears", async () => {
    host.gpus = [nvidia()];
    await panelsAre(page, [0]);
    const gone = await page.locator('#gpu-1-utilization-chart').count();

    host.gpus = [nvidia(), { ...INTEL, index: 2, name: 'Intel UHD Graphics 770' }];
    await panelsAre(page, [0, 2]);
    const [, added] = await shownPanels(page);

    expect(gone).toBe(0);
    expect(added).toMatchObject({ index: '2', title: 'GPU 2 | Intel UHD Graphics 770 | Intel' });
    expect(await page.isVisible('#gpus')).toBe(true);
  });

  it('should hide the GPU panels, leaving no empty box, when the host has no GPU', async () => {
    host.gpus = [];

    await page.waitForSelector('#gpus', { state: 'hidden' });
    await samplesLater(page, 1);

    expect(await page.locator('#gpus > section').count()).toBe(0);
    expect(await page.locator('main .gpu, main [id^="gpu-"]').count()).toBe(0);
  });

  it('should hide the GPU panels when the GPUs could not be read, and bring them back after', async () => {
    host.failingGroups.add('gpus'); // the sample's gpus is null

    await page.waitForSelector('#gpus', { state: 'hidden' });
    const hidden = await page.locator('#gpus > section').count();
    host.failingGroups.clear();
    await panelsAre(page, [0, 1]);

    expect(hidden).toBe(0);
    expect(await page.isVisible('#gpus > section[data-index="0"]')).toBe(true);
  });

  it('should show a GPU memory column in the process table only while a top process holds GPU memory', async () => {
    const column = '#processes-table th.gpu-memory';
    const hiddenAtFirst = !(await page.isVisible(column));

    host.top = [
      { pid: 4242, name: 'python', cpu: 97.5, memory: 12.1, rss: 3 * GiB, gpuMemory: 5 * GiB },
      { pid: 1, name: 'init', cpu: 0.5, memory: 0.1, rss: 8 * 1024 ** 2 },
    ];
    await page.waitForSelector(column, { state: 'visible' });
    const rows = await page.evaluate(() =>
      [...document.querySelectorAll('#processes tr')].map((row) =>
        [...row.querySelectorAll('td')].map((cell) => cell.textContent),
      ),
    );
    mkdirSync(ARTIFACTS, { recursive: true });
    await page
      .locator('section[aria-labelledby="processes-title"]')
      .screenshot({ path: join(ARTIFACTS, 'dashboard-processes-gpu.png') });
    host.top = undefined;
    await page.waitForSelector(column, { state: 'hidden' });

    expect(hiddenAtFirst).toBe(true);
    expect(await page.textContent(column)).toBe('GPU memory');
    expect(rows).toEqual([
      ['4242', 'python', '97.5', '12.1', '3.0 GiB', '5.0 GiB'],
      ['1', 'init', '0.5', '0.1', '8.0 MiB', '—'],
    ]);
    expect(await page.isVisible('#processes td.gpu-memory')).toBe(false);
  });

  it("should draw each GPU's history from the rollups of a range, and say when it has none", async () => {
    const day = rollupsAnswer('test-host');
    const stats = (avg: number) => ({ min: avg - 5, avg, max: avg + 5 });
    const points = day.points.map((point, i) => ({
      ...point,
      gpus: [
        { ...nvidia(), utilization: stats(40 + (i % 20)), memoryUsage: stats(50) },
        { ...INTEL, clockMHz: stats(2000) },
      ],
    }));
    await page.route('**/api/v1/metrics/rollups**', (route) =>
      route.fulfill({ contentType: 'application/json', body: JSON.stringify({ ...day, points }) }),
    );
    const asked = page.waitForRequest((r) => r.url().includes('/api/v1/metrics/rollups'));

    await page.goto(`${t.url}/?range=24h`);
    const request = await asked;
    await page.waitForSelector('#range-pick[data-state="shown"]');
    await panelsAre(page, [0, 1]);
    await page.waitForTimeout(1000); // live samples keep coming: they must not redraw the range
    const [a10, arc] = await shownPanels(page);
    const legend = await page.textContent(
      '#gpu-0-utilization-chart .u-legend .u-series:nth-child(2) .u-value',
    );
    const note = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('#gpus > section[data-index="1"] .chart-note')]
        .filter((n) => n.offsetParent !== null)
        .map((n) => n.textContent),
    );
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.locator('#gpus > section[data-index="0"]').screenshot({
      path: join(ARTIFACTS, 'dashboard-gpu-24h.png'),
    });
    await page.click('#range-pick button[data-range="live"]');
    await page.waitForSelector('#range-pick[data-state="live"]');
    const [live] = await shownPanels(page);

    expect(new URL(request.url()).searchParams.get('groups')?.split(',')).toContain('gpus');
    expect(a10!.charts.map((c) => [c.shown, c.points, c.label])).toEqual([
      [
        true,
        String(points.length),
        'GPU 0 utilisation, Last 24 hours: averages with min–max bands',
      ],
      [
        true,
        String(points.length),
        'GPU 0 memory usage, Last 24 hours: averages with min–max bands',
      ],
    ]);
    expect(legend).toBe(`${(40 + ((points.length - 1) % 20)).toFixed(1)} %`); // the last average
    expect(a10!.figures[0]!.value).toBe('87.0 %'); // the figures stay live
    expect(arc!.charts.map((c) => c.shown)).toEqual([false, false]);
    expect(note).toEqual(['No readings in this range', 'No readings in this range']);
    expect(live!.charts.map((c) => c.label)).toEqual([
      'GPU 0 utilisation over the last minutes',
      'GPU 0 memory usage over the last minutes',
    ]);
    expect(Number(live!.charts[0]!.points)).toBeLessThan(points.length);
  });

  it('should look right in the light and the dark theme', async () => {
    host.gpus = [nvidia({ temperatureC: 84 }), INTEL];
    await figureShows(page, 0, 'Temperature', '84.0 °C');
    await samplesLater(page, 3);
    mkdirSync(ARTIFACTS, { recursive: true });

    const themes: Array<string | undefined> = [];
    for (const theme of ['light', 'dark']) {
      if ((await page.evaluate(() => document.documentElement.dataset.theme)) !== theme) {
        await page.click('#theme-toggle');
      }
      themes.push(await page.evaluate(() => document.documentElement.dataset.theme));
      await page.waitForTimeout(100); // the charts redraw in the theme's colours
      await page.screenshot({
        path: join(ARTIFACTS, `dashboard-gpus-${theme}.png`),
        clip: await gpusBox(page),
        fullPage: true,
      });
    }

    expect(themes).toEqual(['light', 'dark']);
  });

  it('should fit a 360 px wide screen with two GPUs', async () => {
    await page.setViewportSize({ width: 360, height: 780 });
    await page.waitForTimeout(300); // charts resize on the next frame

    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    await page
      .locator('#gpus > section[data-index="0"]')
      .screenshot({ path: join(ARTIFACTS, 'dashboard-gpu-360.png') });

    expect(width).toBeLessThanOrEqual(360);
  });

  it('should have logged no errors', () => {
    expect(errors).toEqual([]);
  });
});
