/// <reference lib="dom" />
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { ContainerStatsDto } from '../src/hub/dto/container-stats.dto.js';
import { ARTIFACTS, launchBrowser, requireChromium } from './helpers/browser.js';
import { eventually } from './helpers/eventually.js';
import { FakeHostReader } from './helpers/fake-host.reader.js';
import { hostReading } from './helpers/readings.js';
import { TcpProxy } from './helpers/tcp-proxy.js';
import { type TestApp, startTestApp } from './helpers/test-app.js';

// The fake host's container runs at a few % of a core; a test sets its CPU past these
// thresholds to fire the alert, and puts the reading's container back to resolve it.
const RULES = `
rules:
  - name: container-cpu
    metric: containers[].cpu
    warning: 100
    critical: 150
    for: 250ms
    hysteresis: 0
`;

const container = (overrides: Partial<ContainerStatsDto>): ContainerStatsDto => ({
  ...hostReading().containers[0]!,
  ...overrides,
});
const WEB = hostReading().containers[0]!; // named "web"
const HOT_WEB = container({ cpu: 180 });
const WARM_WEB = container({ cpu: 120 });
const HOT_DB = container({ id: 'aaaaaaaaaaa2', name: 'db', cpu: 190 });

const TITLE = 'test-host · vitals';
const WEB_NAME = 'container-cpu (container=web) on test-host';
const WEB_TAG = 'vitals ["test-host","container-cpu",{"container":"web"}]';

interface Shown {
  title: string;
  body?: string;
  tag?: string;
  renotify?: boolean;
}

interface Recorder {
  requests: number;
  shown: Shown[];
  focused: number;
  closed: number;
  click(index: number): void;
}

// Runs in the page before its scripts: records permission requests and each notification
// (still the browser's own, so its events work), and calls of window.focus().
function recordNotifications(): void {
  type Options = NotificationOptions & { renotify?: boolean };
  const Real = window.Notification;
  const made: Notification[] = [];
  const log: Recorder = {
    requests: 0,
    shown: [],
    focused: 0,
    closed: 0,
    click: (index) => made[index]?.dispatchEvent(new Event('click')),
  };
  class Recorded extends Real {
    constructor(title: string, options: Options = {}) {
      super(title, options);
      made.push(this);
      log.shown.push({
        title,
        body: options.body,
        tag: options.tag,
        renotify: options.renotify,
      });
    }

    override close(): void {
      log.closed++;
      super.close();
    }
  }
  const request = Real.requestPermission.bind(Real);
  Object.defineProperty(Recorded, 'requestPermission', {
    value: (callback?: NotificationPermissionCallback) => {
      log.requests++;
      return request(callback);
    },
  });
  Object.defineProperty(window, 'Notification', { value: Recorded, configurable: true });
  const focus = window.focus.bind(window);
  window.focus = () => {
    log.focused++;
    focus();
  };
  (window as unknown as { notifications: Recorder }).notifications = log;
}

const recorded = (page: Page) =>
  page.evaluate(() => {
    const { requests, shown, focused, closed } = (window as unknown as { notifications: Recorder })
      .notifications;
    return { requests, shown, focused, closed };
  });

/** Resolves once `count` notifications were shown in all. */
const notificationsShown = (page: Page, count: number) =>
  page.waitForFunction(
    (n) => (window as unknown as { notifications: Recorder }).notifications.shown.length >= n,
    count,
  );

/** Resolves once `count` more samples are shown. */
const samplesLater = async (page: Page, count: number) => {
  const now = Number(await page.evaluate(() => document.body.dataset.sampleId));
  await page.waitForFunction((id) => Number(document.body.dataset.sampleId) >= id, now + count);
};

const favicon = (page: Page) => page.getAttribute('link[rel="icon"]', 'href');

const bannerShown = (page: Page) =>
  page.evaluate(() => {
    const banner = document.querySelector<HTMLElement>('#critical-banner')!;
    return {
      visible: !banner.hidden && banner.offsetParent !== null,
      role: banner.getAttribute('role'),
      text: document.querySelector('#critical-banner-text')?.textContent,
    };
  });

describe('alert notifications, tab title and critical banner in a browser', () => {
  let t: TestApp;
  let dir: string;
  let host: FakeHostReader;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const errors: string[] = [];

  /**
   * A page in a fresh profile; `grant`: notifications allowed for vitals' origin (`origin`:
   * vitals itself, or a relay to it).
   */
  const open = async (grant: boolean, init: () => void = recordNotifications, origin = t.url) => {
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    if (grant) {
      await context.grantPermissions(['notifications'], { origin });
    }
    await context.addInitScript(init);
    page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') {
        errors.push(message.text());
      }
    });
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${origin}/`);
    await live(page);
  };

  const live = async (p: Page) => {
    await p.waitForSelector('#status[data-state="live"]');
    await p.waitForFunction(() => document.body.dataset.sampleId !== undefined);
  };

  const activeAlerts = async () =>
    ((await (await fetch(`${t.url}/api/v1/alerts`)).json()) as { active: unknown[] }).active.length;

  beforeAll(async () => {
    requireChromium();
    dir = mkdtempSync(join(tmpdir(), 'vitals-dashboard-notifications-'));
    writeFileSync(join(dir, 'alerts.yaml'), RULES);
    host = new FakeHostReader();
    t = await startTestApp(
      { VITALS_INTERVAL_MS: '250', VITALS_ALERTS_FILE: join(dir, 'alerts.yaml') },
      host,
    );
    browser = await launchBrowser();
  });

  afterEach(async () => {
    host.containers = undefined;
    await context?.close();
    await eventually(async () => (await activeAlerts()) === 0); // the next test starts calm
  });

  afterAll(async () => {
    await browser?.close();
    await t?.app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('should ask for the permission only on the Notify me click, then notify once when an alert fires and once when it resolves', async () => {
    await open(true);
    await samplesLater(page, 2);
    const onLoad = await recorded(page);
    const before = await page.evaluate(() => {
      const button = document.querySelector<HTMLButtonElement>('#notify-toggle')!;
      return {
        hidden: button.hidden,
        text: button.textContent?.trim(),
        pressed: button.ariaPressed,
      };
    });

    await page.click('#notify-toggle');
    await page.waitForSelector('#notify-toggle[aria-pressed="true"]');
    const afterClick = await recorded(page);
    host.containers = [HOT_WEB];
    await notificationsShown(page, 1);
    await samplesLater(page, 3); // still one: later samples change nothing
    const fired = await recorded(page);
    host.containers = [WEB];
    await notificationsShown(page, 2);
    await samplesLater(page, 3);
    const resolved = await recorded(page);
    await page.evaluate(() =>
      (window as unknown as { notifications: Recorder }).notifications.click(1),
    );
    const clicked = await recorded(page);

    expect(onLoad).toMatchObject({ requests: 0, shown: [] });
    expect(before).toEqual({ hidden: false, text: 'Notify me', pressed: 'false' });
    expect(afterClick.requests).toBe(1);
    expect(await page.evaluate(() => localStorage.getItem('vitals.notify'))).toBe('on');
    expect(fired.shown).toEqual([
      {
        title: `critical: ${WEB_NAME}`,
        body: 'containers[].cpu at 180, threshold 150',
        tag: WEB_TAG,
        renotify: true,
      },
    ]);
    expect(resolved.shown).toHaveLength(2);
    expect(resolved.shown[1]).toEqual({
      title: `resolved: ${WEB_NAME}`,
      body: `containers[].cpu at ${WEB.cpu}, back below 100`, // the last threshold it leaves
      tag: WEB_TAG, // replaces the one that fired
      renotify: false,
    });
    expect(resolved.requests).toBe(1);
    expect(clicked).toMatchObject({ focused: 1, closed: 1 });
  });

  it('should count active alerts in the title and badge the favicon while one is active, and restore both after', async () => {
    await open(true);
    const calm = { title: await page.title(), icon: await favicon(page) };

    host.containers = [HOT_WEB];
    await page.waitForFunction((title) => document.title === `(1) ${title}`, TITLE);
    const one = { title: await page.title(), icon: await favicon(page) };
    host.containers = [HOT_WEB, HOT_DB];
    await page.waitForFunction((title) => document.title === `(2) ${title}`, TITLE);
    const two = await favicon(page);
    host.containers = [WEB];
    await page.waitForFunction((title) => document.title === title, TITLE);
    const after = { title: await page.title(), icon: await favicon(page) };

    expect(calm).toEqual({ title: TITLE, icon: 'favicon.svg' });
    expect(one.title).toBe(`(1) ${TITLE}`);
    expect(one.icon).toMatch(/^data:image\/svg\+xml,/);
    expect(decodeURIComponent(one.icon!)).toMatch(/<text[^>]*>1<\/text>/);
    expect(decodeURIComponent(two!)).toMatch(/<text[^>]*>2<\/text>/);
    expect(after).toEqual(calm);
    // Notifications were never turned on: none shown, none asked for.
    expect(await recorded(page)).toMatchObject({ requests: 0, shown: [] });
  });

  it('should show a critical banner that can be dismissed, comes back for a new critical alert and goes when they resolve', async () => {
    await open(true);
    const calm = await bannerShown(page);

    host.containers = [HOT_WEB];
    await page.waitForSelector('#critical-banner', { state: 'visible' });
    const shown = await bannerShown(page);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-critical-banner.png') });
    await page.click('#critical-banner-dismiss');
    await samplesLater(page, 3);
    const dismissed = await bannerShown(page);
    const focused = await page.evaluate(() => document.activeElement?.id);
    host.containers = [HOT_WEB, HOT_DB];
    await page.waitForSelector('#critical-banner', { state: 'visible' });
    const again = await bannerShown(page);
    host.containers = [WEB];
    await page.waitForSelector('#critical-banner', { state: 'hidden' });
    await samplesLater(page, 2);
    const resolved = await bannerShown(page);

    expect(calm.visible).toBe(false);
    expect(shown).toEqual({ visible: true, role: 'alert', text: `Critical alert: ${WEB_NAME}` });
    expect(dismissed.visible).toBe(false);
    expect(focused).toBe('alerts');
    expect(again.visible).toBe(true);
    expect(again.text).toMatch(/^2 critical alerts: /);
    expect(again.text).toContain(WEB_NAME);
    expect(again.text).toContain('container-cpu (container=db) on test-host');
    expect(resolved.visible).toBe(false);
  });

  it('should keep a warning out of the banner and notify again under the same tag when it escalates', async () => {
    await open(true);
    await page.click('#notify-toggle');
    await page.waitForSelector('#notify-toggle[aria-pressed="true"]');

    host.containers = [WARM_WEB];
    await notificationsShown(page, 1);
    await samplesLater(page, 2);
    const warning = await bannerShown(page);
    host.containers = [HOT_WEB];
    await notificationsShown(page, 2);
    host.containers = [WARM_WEB];
    await notificationsShown(page, 3);
    host.containers = [WEB];
    await notificationsShown(page, 4);
    await samplesLater(page, 2);
    const { shown } = await recorded(page);

    expect(warning.visible).toBe(false);
    expect(shown.map((n) => [n.title, n.renotify])).toEqual([
      [`warning: ${WEB_NAME}`, true],
      [`critical: ${WEB_NAME}`, true],
      [`warning: ${WEB_NAME}`, false],
      [`resolved: ${WEB_NAME}`, false],
    ]);
    expect(new Set(shown.map((n) => n.tag))).toEqual(new Set([WEB_TAG]));
    expect(shown[1]?.body).toBe('containers[].cpu at 180, threshold 150');
  });

  it('should stay on across a reload without asking again, and not notify of the alerts active at load', async () => {
    await open(true);
    await page.click('#notify-toggle');
    await page.waitForSelector('#notify-toggle[aria-pressed="true"]');
    host.containers = [HOT_WEB];
    await notificationsShown(page, 1);

    await page.reload();
    await live(page);
    await page.waitForFunction((title) => document.title === `(1) ${title}`, TITLE);
    await samplesLater(page, 3);
    const reloaded = await recorded(page);
    const pressed = await page.getAttribute('#notify-toggle', 'aria-pressed');
    host.containers = [WEB];
    await notificationsShown(page, 1);
    await samplesLater(page, 2);
    const resolved = await recorded(page);

    expect(reloaded).toMatchObject({ requests: 0, shown: [] });
    expect(pressed).toBe('true');
    expect(resolved.shown.map((n) => n.title)).toEqual([`resolved: ${WEB_NAME}`]);
  });

  it('should not notify of a change replayed when the stream resumes, only of the live ones after', async () => {
    const proxy = await TcpProxy.start(Number(new URL(t.url).port));
    const logged = errors.length;
    const resumes: Array<string | null> = [];
    let resumed: Awaited<ReturnType<typeof recorded>>;
    let after: Awaited<ReturnType<typeof recorded>>;
    try {
      await open(true, recordNotifications, `http://127.0.0.1:${proxy.port}`);
      await page.click('#notify-toggle');
      await page.waitForSelector('#notify-toggle[aria-pressed="true"]');
      page.on('request', (request) => {
        if (request.url().includes('/api/v1/stream')) {
          const id = request.headers()['last-event-id'];
          resumes.push(id ?? new URL(request.url()).searchParams.get('lastEventId'));
        }
      });

      // The link drops; the alert fires meanwhile; the page resumes with Last-Event-ID.
      await proxy.stop();
      host.containers = [HOT_WEB];
      await eventually(async () => (await activeAlerts()) === 1);
      await proxy.start();
      await page.waitForFunction((title) => document.title === `(1) ${title}`, TITLE, {
        timeout: 15_000,
      });
      await live(page);
      await samplesLater(page, 2);
      resumed = await recorded(page);
      host.containers = [WEB];
      await notificationsShown(page, 1);
      after = await recorded(page);
    } finally {
      await context.close();
      await proxy.stop();
      // The cut streams' own console errors; any other stays for the last test.
      const cut = errors.splice(logged);
      errors.push(...cut.filter((error) => !error.includes('net::ERR_')));
    }

    expect(resumes.length).toBeGreaterThan(0);
    expect(resumes.every((id) => id !== null && /^\d+$/.test(id))).toBe(true);
    expect(resumed.shown).toEqual([]);
    expect(after.shown.map((n) => n.title)).toEqual([`resolved: ${WEB_NAME}`]);
  });

  it('should turn notifications off on a second click', async () => {
    await open(true);
    await page.click('#notify-toggle');
    await page.waitForSelector('#notify-toggle[aria-pressed="true"]');

    await page.click('#notify-toggle');
    await page.waitForSelector('#notify-toggle[aria-pressed="false"]');
    host.containers = [HOT_WEB];
    await page.waitForFunction((title) => document.title === `(1) ${title}`, TITLE);
    await samplesLater(page, 2);

    expect(await recorded(page)).toMatchObject({ requests: 1, shown: [] });
    expect(await page.evaluate(() => localStorage.getItem('vitals.notify'))).toBe('off');
  });

  it('should say notifications are blocked and disable the button when the permission is denied', async () => {
    await open(false); // headless Chromium answers a request it was not granted with "denied"

    await page.click('#notify-toggle');
    await page.waitForSelector('#notify-toggle:disabled');
    const button = await page.evaluate(() => {
      const node = document.querySelector<HTMLButtonElement>('#notify-toggle')!;
      return { text: node.textContent?.trim(), pressed: node.ariaPressed, hidden: node.hidden };
    });
    host.containers = [HOT_WEB];
    await page.waitForFunction((title) => document.title === `(1) ${title}`, TITLE);
    await samplesLater(page, 2);

    expect(button).toEqual({ text: 'Notifications blocked', pressed: 'false', hidden: false });
    expect(await recorded(page)).toMatchObject({ requests: 1, shown: [] });
  });

  it('should hide the button where the browser has no Notification API', async () => {
    await open(false, () => {
      delete (window as { Notification?: unknown }).Notification;
    });

    await samplesLater(page, 1);

    expect(await page.evaluate(() => typeof window.Notification)).toBe('undefined');
    expect(await page.isVisible('#notify-toggle')).toBe(false);
  });

  it('should have logged no errors', () => {
    expect(errors).toEqual([]);
  });
});
