import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { SseFrame } from './helpers/sse-connection.js';
import { type TestApp, startTestApp } from './helpers/test-app.js';

interface Alert {
  rule: string;
  metric: string;
  severity: string;
  value: number | null;
  threshold: number;
  since: string;
  host: string;
  labels: Record<string, string>;
}

// The fake host's CPU usage climbs by 7 each tick (7, 14 … 98, 5, 12 …): `busy` crosses 50 every
// few ticks, `always` holds from the first sample, `never` cannot fire.
const RULES = `
rules:
  - name: always
    metric: uptime
    warning: 0
  - name: never
    metric: memory.usage
    critical: 1000
  - name: busy
    metric: cpu.usage
    warning: 50
    hysteresis: 0
`;

// `busy` changes state every 7 ticks of 250 ms; wait for a few of those at most.
const CYCLE_MS = 15_000;

const alertsOf = (frames: SseFrame[]) => frames.filter((frame) => frame.event === 'alert');
const data = <T>(frame: SseFrame | undefined): T => JSON.parse(frame?.data ?? 'null') as T;

describe('alerts', () => {
  let t: TestApp;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vitals-alerts-'));
    const file = join(dir, 'alerts.yaml');
    writeFileSync(file, RULES);
    t = await startTestApp({ VITALS_INTERVAL_MS: '250', VITALS_ALERTS_FILE: file });
  });

  afterEach(() => {
    t.closeStreams();
  });

  afterAll(async () => {
    await t.app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('should push each change as an alert event right after the sample that caused it', async () => {
    const stream = await t.connect('/api/v1/stream');
    const busy = (frames: SseFrame[]) =>
      alertsOf(frames).filter((frame) => frame.id && data<Alert>(frame).rule === 'busy');
    await stream.waitUntil((frames) => busy(frames).length >= 2, CYCLE_MS);

    const events = stream.events;
    for (const frame of busy(events)) {
      const alert = data<Alert>(frame);
      const sample = events
        .slice(0, events.indexOf(frame))
        .reverse()
        .find((f) => f.event === 'sample');
      // Raised by the sample just before it: the next id in the same sequence, with its value.
      expect(Number(frame.id)).toBe(Number(sample?.id) + 1);
      expect(alert).toMatchObject({ rule: 'busy', metric: 'cpu.usage', host: 'test-host' });
      expect(alert.value).toBe(data<{ cpu: { usage: number } }>(sample).cpu.usage);
      if (alert.severity === 'warning') {
        expect(alert.value).toBeGreaterThanOrEqual(50);
      } else {
        expect(alert.severity).toBe('resolved');
        expect(alert.value).toBeLessThan(50);
      }
    }
    expect(alertsOf(events).some((frame) => data<Alert>(frame).rule === 'never')).toBe(false);
  });

  it('should send the alerts active now, without an id, to a client that connects', async () => {
    const stream = await t.connect('/api/v1/stream');
    await stream.waitUntil((frames) => frames.some((frame) => frame.event === 'sample'));

    const [meta, ...rest] = stream.events;
    const active = rest.slice(
      0,
      rest.findIndex((frame) => frame.event === 'sample'),
    );
    expect(meta?.event).toBe('meta');
    expect(data<{ alerts: boolean }>(meta).alerts).toBe(true);
    expect(active.every((frame) => frame.event === 'alert' && frame.id === undefined)).toBe(true);
    expect(active.map((frame) => data<Alert>(frame).rule)).toContain('always');
  });

  it('should carry alerts whatever groups= says, and none with alerts=false', async () => {
    const memoryOnly = await t.connect('/api/v1/stream?groups=memory');
    const noAlerts = await t.connect('/api/v1/stream?alerts=false');
    await memoryOnly.waitUntil(
      (frames) => alertsOf(frames).filter((f) => f.id).length >= 1,
      CYCLE_MS,
    );
    const lastId = Number(
      alertsOf(memoryOnly.events)
        .filter((f) => f.id)
        .at(-1)?.id,
    );
    await noAlerts.waitUntil((frames) => frames.some((f) => Number(f.id) > lastId));

    expect(alertsOf(noAlerts.events)).toEqual([]);
    expect(data<{ alerts: boolean }>(noAlerts.events[0]).alerts).toBe(false);
  });

  it('should replay an alert the client missed when it resumes', async () => {
    const first = await t.connect('/api/v1/stream');
    await first.waitUntil((frames) => alertsOf(frames).filter((f) => f.id).length >= 1, CYCLE_MS);
    const missed = alertsOf(first.events).filter((f) => f.id)[0]!;
    first.close();

    const resumed = await t.connect('/api/v1/stream', {
      'last-event-id': String(Number(missed.id) - 1),
    });
    await resumed.waitUntil((frames) => frames.filter((f) => f.id).length >= 2);

    const [meta, replayed] = resumed.events;
    expect(meta?.event).toBe('meta');
    expect(replayed).toEqual(missed);
  });

  it('should list the active alerts and the rules in force', async () => {
    const response = await request(t.url).get('/api/v1/alerts').expect(200);

    const body = response.body as {
      active: Array<Alert & { id: number }>;
      rules: Array<Record<string, unknown>>;
    };
    expect(response.headers['cache-control']).toBe('no-store');
    expect(body.rules).toEqual([
      {
        name: 'always',
        metric: 'uptime',
        warning: 0,
        critical: null,
        for: '0s',
        forMs: 0,
        hysteresis: 5,
      },
      {
        name: 'never',
        metric: 'memory.usage',
        warning: null,
        critical: 1000,
        for: '0s',
        forMs: 0,
        hysteresis: 5,
      },
      {
        name: 'busy',
        metric: 'cpu.usage',
        warning: 50,
        critical: null,
        for: '0s',
        forMs: 0,
        hysteresis: 0,
      },
    ]);
    const always = body.active.find((alert) => alert.rule === 'always');
    expect(always).toMatchObject({
      metric: 'uptime',
      severity: 'warning',
      value: 3600,
      threshold: 0,
      host: 'test-host',
      labels: {},
    });
    expect(typeof always?.id).toBe('number');
    expect(body.active.some((alert) => alert.rule === 'never')).toBe(false);
  });

  it('should show active alerts in /metrics and in the readiness details', async () => {
    const metrics = await request(t.url).get('/metrics').expect(200);
    const ready = await request(t.url).get('/health/ready').expect(200);

    expect(metrics.text).toMatch(
      /^vitals_alert_active\{rule="always",severity="warning",metric="uptime",host="test-host"[^}]*\} 1$/m,
    );
    expect(metrics.text).not.toMatch(/vitals_alert_active\{rule="never"/);
    const details = (ready.body as { details: { alerts: Record<string, unknown> } }).details;
    expect(details.alerts).toMatchObject({ status: 'up', warning: expect.any(Number) as number });
    expect(details.alerts.rules).toContain('always');
  });
});
