/// <reference lib="dom" />
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { ContainerStatsDto } from '../src/hub/dto/container-stats.dto.js';
import type { GpuStatsDto } from '../src/hub/dto/gpu-stats.dto.js';
import type { ProcessInfoDto } from '../src/hub/dto/process-info.dto.js';
import type { ProcessesDto } from '../src/hub/dto/processes.dto.js';
import { type RollupsAnswer, rollupsAnswer } from './dashboard/fixtures/rollups-answer.js';
import { ARTIFACTS, launchBrowser, requireChromium } from './helpers/browser.js';
import { eventually } from './helpers/eventually.js';
import { FakeHostReader } from './helpers/fake-host.reader.js';
import { hostReading } from './helpers/readings.js';
import { redisClient, TEST_REDIS_URL, uniqueStreamKey } from './helpers/redis.js';
import { type TestApp, startTestApp } from './helpers/test-app.js';

// axe-core (the engine of Lighthouse's and most browsers' accessibility checks), from
// node_modules, evaluated in the page: the page's own CSP (script-src 'self') stays on.
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const GiB = 1024 ** 3;

// A rule past which each panel has a value, so every kind of mark is on show: warnings on the
// CPU, its cores, the disk, a container and a GPU, memory critical (the banner too).
const RULES = `
rules:
  - name: busy
    metric: cpu.usage
    warning: 1
  - name: memory-full
    metric: memory.usage
    critical: 20
  - name: disk-filling
    metric: disks[].usage
    warning: 30
  - name: container-memory
    metric: containers[].memoryUsage
    warning: 15
  - name: gpu-warm
    metric: gpus[].temperatureC
    warning: 60
`;

/** The fake host, with a GPU process among its top ones. */
class BusyHostReader extends FakeHostReader {
  override async readProcesses(): Promise<ProcessesDto> {
    const processes = await super.readProcesses();
    const python: ProcessInfoDto = {
      pid: 4242,
      name: 'python',
      cpu: 97.5,
      memory: 12.1,
      rss: 3 * GiB,
      gpuMemory: 5 * GiB,
    };
    return { ...processes, top: [python, ...processes.top] };
  }
}

/** An Intel GPU without perf access: most figures not reported. */
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

/** The reading's container, and one without a runtime API's name at 95 % of its CPU limit. */
const CONTAINERS: ContainerStatsDto[] = [
  hostReading().containers[0]!,
  {
    ...hostReading().containers[0]!,
    id: '9b8c7d6e5f4a',
    name: null,
    image: null,
    runtime: 'unknown',
    cpu: 95,
    cpuLimit: 1,
    memory: 25 * 1024 ** 2,
    memoryUsage: 4.88,
  },
];

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** axe's violations of the page as it is now, serious and critical first. */
async function axeViolations(page: Page): Promise<Violation[]> {
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    type Result = {
      violations: Array<{
        id: string;
        impact: string | null;
        help: string;
        nodes: Array<{ target: string[] }>;
      }>;
    };
    const axe = (window as unknown as { axe: { run(): Promise<Result> } }).axe;
    const { violations } = await axe.run();
    return violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.join(' ')),
    }));
  });
}

const serious = (violations: Violation[]) =>
  violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');

/**
 * Every figure marked warning or critical (a class, or an alert's data-severity) whose level is
 * not also in words nearby: its text, its figure's, or a meter's aria-valuetext, with a
 * pattern as well as a colour where there is no room for words (a core's bar).
 */
const colourOnly = (page: Page, root: string) =>
  page.evaluate((selector) => {
    const WORDS: Record<string, string[]> = {
      warning: ['warning', 'near limit'],
      critical: ['critical'],
    };
    const marked = [
      ...document.querySelectorAll<HTMLElement>(
        `${selector} .warning, ${selector} .critical, ${selector} [data-severity]`,
      ),
    ].filter(
      (node) =>
        !node.classList.contains('level-mark') &&
        node.checkVisibility({ visibilityProperty: true }),
    );
    return marked
      .filter((node) => {
        const level =
          node.dataset.severity ?? (node.classList.contains('critical') ? 'critical' : 'warning');
        const holder = node.closest<HTMLElement>('dd, td, li, .disk, .core') ?? node;
        const words = `${holder.innerText} ${holder.getAttribute('aria-valuetext') ?? ''}`;
        const said = (WORDS[level] ?? [level]).some((word) => words.toLowerCase().includes(word));
        const fill = holder.classList.contains('core') ? holder.querySelector('.core-fill') : null;
        const patterned = fill ? getComputedStyle(fill).backgroundImage.includes('gradient') : true;
        return !(said && patterned);
      })
      .map((node) => node.id || node.className || node.tagName);
  }, root);

describe('the host view for everyone, in a browser', () => {
  let t: TestApp;
  let dir: string;
  let host: BusyHostReader;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  /**
   * Opens the page in `theme` (over a day of `rollups` when given) and waits until every panel
   * has something in it.
   */
  async function openFull(theme: 'light' | 'dark', rollups?: RollupsAnswer) {
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme: theme });
    page.on('pageerror', (error) => errors.push(error.message));
    if (rollups) {
      await page.route('**/api/v1/metrics/rollups**', (route) =>
        route.fulfill({ contentType: 'application/json', body: JSON.stringify(rollups) }),
      );
    }
    await page.goto(`${t.url}/${rollups ? '?range=24h' : ''}`);
    await page.waitForSelector('#status[data-state="live"]');
    await page.waitForSelector('#critical-banner:not([hidden])');
    await page.waitForFunction(
      () =>
        document.querySelectorAll('#alerts li[data-rule]').length === 5 &&
        document.querySelectorAll('#gpus > section').length === 2 &&
        document.querySelectorAll('#containers > tr').length === 2 &&
        document.querySelectorAll('#processes > tr').length === 2 &&
        document.querySelectorAll('#disks .disk.warning, #disks .disk .warning').length > 0 &&
        document.querySelectorAll('#network-rates > tr').length === 1 &&
        Number(document.querySelector('#cpu-chart')?.getAttribute('data-points')) > 2,
    );
  }

  beforeAll(async () => {
    requireChromium();
    dir = mkdtempSync(join(tmpdir(), 'vitals-dashboard-a11y-'));
    writeFileSync(join(dir, 'alerts.yaml'), RULES);
    host = new BusyHostReader(8);
    host.gpus = [{ ...hostReading().gpus[0]!, utilization: 87 }, INTEL];
    host.containers = CONTAINERS;
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

  beforeEach(() => {
    errors.length = 0;
  });

  afterEach(async () => {
    await page?.close();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(['light', 'dark'] as const)(
    'should have no serious or critical axe violation when every panel is full in the %s theme',
    async (theme) => {
      await openFull(theme);

      const violations = await axeViolations(page);
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, `a11y-host-${theme}.png`), fullPage: true });

      expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
      expect(serious(violations)).toEqual([]);
      expect(violations).toEqual([]); // nothing moderate or minor either, so far
      expect(errors).toEqual([]);
    },
  );

  it('should have no serious or critical axe violation when the charts show a range', async () => {
    await openFull('dark', rollupsAnswer('test-host'));
    await page.waitForSelector('#range-pick[data-state="shown"]');

    const violations = await axeViolations(page);

    expect(serious(violations)).toEqual([]);
  });

  it('should give a screen reader each figure with its level in words when values pass a rule', async () => {
    await openFull('light');

    const cpu = await page.locator('section[aria-labelledby="cpu-title"]').ariaSnapshot();
    const memory = await page.locator('section[aria-labelledby="memory-title"]').ariaSnapshot();
    const disks = await page.locator('section[aria-labelledby="disks-title"]').ariaSnapshot();
    const intel = await page.locator('#gpus > section[data-index="1"]').ariaSnapshot();
    const cores = await page.$$eval('#cores [role="meter"]', (meters) =>
      meters.map((m) => [m.getAttribute('aria-label'), m.getAttribute('aria-valuetext')]),
    );
    const containers = await page.locator('#containers-table').ariaSnapshot();

    expect(cpu).toMatch(/- term: Usage\n\s*- definition: \d+\.\d % warning\n/);
    expect(cpu).toMatch(/- figure "CPU usage over the last minutes"/);
    expect(memory).toMatch(/- term: Usage\n\s*- definition: 25\.0 % critical\n/);
    expect(memory).toMatch(/- term: Swap\n\s*- definition: no swap\n/);
    expect(disks).toMatch(/\/ 40\.0 % warning/);
    expect(disks).toMatch(/- meter "\/ usage"/);
    expect(intel).toMatch(/heading "GPU 1: Intel Arc A380, Intel" \[level=2\]/);
    // A dash is not read out: the words in its place are.
    expect(intel).toMatch(/- term: Utilisation\n\s*- definition: not exposed by the driver\n/);
    expect(intel).toMatch(/- term: Temperature\n\s*- definition: not reported/);
    expect(cores).toHaveLength(8);
    for (const [label, text] of cores) {
      expect(label).toMatch(/^Core \d$/);
      expect(text).toMatch(/^\d+\.\d %, warning$/);
    }
    expect(containers).toMatch(/row "web .*warning/);
    expect(containers).toMatch(/row "9b8c7d6e5f4a .*near limit/);
  });

  it('should never mark a threshold by colour alone when values pass rules', async () => {
    await openFull('light');

    const unmarked = await colourOnly(page, 'main');
    const marks = await page.$$eval('main .warning, main .critical', (nodes) => nodes.length);

    expect(marks).toBeGreaterThan(10); // CPU, cores, memory, disk, container, GPU, alerts
    expect(unmarked).toEqual([]);
  });
});

describe('the overview for everyone, in a browser', () => {
  const stream = uniqueStreamKey('a11y');
  const shared = { VITALS_REDIS_URL: TEST_REDIS_URL, VITALS_REDIS_STREAM: stream };
  let dir: string;
  let apps: TestApp[];
  let gateway: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    requireChromium();
    dir = mkdtempSync(join(tmpdir(), 'vitals-dashboard-a11y-overview-'));
    writeFileSync(join(dir, 'alerts.yaml'), RULES);
    // One at a time: each reads its settings from process.env while it starts.
    apps = [
      await startTestApp(
        {
          ...shared,
          VITALS_MODE: 'agent',
          VITALS_HOST_NAME: 'web-1',
          VITALS_INTERVAL_MS: '500',
          VITALS_ALERTS_FILE: join(dir, 'alerts.yaml'),
        },
        new FakeHostReader(4),
      ),
      await startTestApp({
        ...shared,
        VITALS_MODE: 'agent',
        VITALS_HOST_NAME: 'db-1',
        VITALS_INTERVAL_MS: '500',
      }),
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
    await Promise.all((apps ?? []).map((app) => app.app.close()));
    const redis = redisClient();
    await redis.del(stream, `${stream}:alerts`);
    redis.disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(['light', 'dark'] as const)(
    'should have no serious or critical axe violation when it shows every host in the %s theme',
    async (theme) => {
      const page = await browser.newPage({
        viewport: { width: 1280, height: 900 },
        colorScheme: theme,
      });
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`${gateway.url}/`);
      await page.waitForFunction(
        () => document.querySelectorAll('#overview-grid > li').length === 2,
      );
      await page.waitForTimeout(1500); // sparklines and the alerts have come in

      const violations = await axeViolations(page);
      const unmarked = await colourOnly(page, 'main');
      const card = await page.locator('#overview-grid > li', { hasText: 'web-1' }).ariaSnapshot();
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, `a11y-overview-${theme}.png`) });
      await page.close();

      expect(serious(violations)).toEqual([]);
      expect(unmarked).toEqual([]);
      // A card read aloud: the host (a link to its view), its worst alert, each figure.
      expect(card).toMatch(/- heading "web-1" \[level=3\]:\n\s*- link "web-1"/);
      expect(card).toMatch(/critical memory-full/);
      for (const figure of ['CPU', 'Memory', 'Disk /', 'Network']) {
        expect(card).toMatch(new RegExp(`- term: ${figure}\\n\\s*- definition: \\d+\\.\\d `));
      }
      expect(errors).toEqual([]);
    },
  );
});
