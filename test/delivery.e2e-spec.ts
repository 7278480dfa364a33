import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { ContainerStatsDto } from '../src/hub/dto/container-stats.dto.js';
import { eventually } from './helpers/eventually.js';
import { hostReading } from './helpers/readings.js';
import { freePort } from './helpers/redis.js';
import { ServiceProcess } from './helpers/service-process.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

const SECRET = 'a-webhook-secret';
// The fake host's container "web" runs at a few % of a core; a test sets it past the rule.
const WEB = hostReading().containers[0]!;
const hot = (cpu: number): ContainerStatsDto[] => [{ ...WEB, cpu }];

const rules = (receivers: string, routes: string) => `
rules:
  - name: container-cpu
    metric: containers[].cpu
    warning: 100
    critical: 150
    for: 250ms
    hysteresis: 0
receivers:
${receivers}
routes:
${routes}
`;

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A real HTTP receiver: records every request; `status` decides the answer (0: none). */
async function receiver(status: (path: string) => number) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body });
      const code = status(req.url ?? '');
      if (code > 0) {
        res.writeHead(code).end();
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return { server, url, received };
}

interface Delivery {
  receiver: string;
  rule: string;
  severity: string;
  result: string;
  attempts: number;
  error: string | null;
}
const deliveries = async (t: TestApp) =>
  ((await request(t.url).get('/api/v1/alerts/deliveries')).body as { deliveries: Delivery[] })
    .deliveries;

describe('alert delivery to receivers that answer', () => {
  let dir: string;
  let sink: Awaited<ReturnType<typeof receiver>>;
  let t: TestApp;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vitals-delivery-'));
    sink = await receiver(() => 200);
    const file = join(dir, 'alerts.yaml');
    writeFileSync(
      file,
      rules(
        `  - name: hook
    webhook: { url: '${sink.url}/hook', secret: '\${VITALS_TEST_WEBHOOK_SECRET}' }
  - name: phone
    ntfy: { url: '${sink.url}/ops-alerts' }
  - name: chat
    slack: { url: '${sink.url}/slack' }
  - name: guild
    discord: { url: '${sink.url}/discord' }`,
        `  - receiver: hook
  - receiver: phone
    severity: [critical]
  - receiver: chat
  - receiver: guild
    rules: [container-cpu]`,
      ),
    );
    process.env.VITALS_TEST_WEBHOOK_SECRET = SECRET;
    t = await startTestApp({ VITALS_ALERTS_FILE: file });
    delete process.env.VITALS_TEST_WEBHOOK_SECRET;
  });

  afterAll(async () => {
    await t.app.close();
    sink.server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('should send one change to each receiver in its own shape, the webhook signed', async () => {
    t.host.containers = hot(180);
    await eventually(() => sink.received.length === 4);

    const by = (path: string) => sink.received.find((r) => r.path === path)!;
    const hook = by('/hook');
    expect(JSON.parse(hook.body)).toMatchObject({
      rule: 'container-cpu',
      severity: 'critical',
      value: 180,
      threshold: 150,
      host: 'test-host',
      labels: { container: 'web' },
    });
    const signature = createHmac('sha256', SECRET).update(hook.body).digest('hex');
    expect(hook.headers['x-vitals-signature']).toBe(`sha256=${signature}`);
    expect(by('/ops-alerts').headers['x-priority']).toBe('5');
    expect(by('/ops-alerts').body).toContain('180');
    expect(JSON.parse(by('/slack').body)).toEqual({ text: expect.any(String) as string });
    expect(JSON.parse(by('/discord').body)).toMatchObject({
      content: expect.any(String) as string,
    });
    await eventually(async () => (await deliveries(t)).length === 4);
    expect((await deliveries(t)).map((d) => [d.receiver, d.result, d.attempts])).toEqual(
      expect.arrayContaining([
        ['hook', 'sent', 1],
        ['phone', 'sent', 1],
        ['chat', 'sent', 1],
        ['guild', 'sent', 1],
      ]),
    );
  });

  it('should send the resolve wherever the alert went, the critical-only route included', async () => {
    const before = sink.received.length;
    t.host.containers = hot(5);
    await eventually(() => sink.received.length === before + 4);

    const resolves = sink.received.slice(before);
    expect(resolves.map((r) => r.path).sort()).toEqual([
      '/discord',
      '/hook',
      '/ops-alerts',
      '/slack',
    ]);
    expect(JSON.parse(resolves.find((r) => r.path === '/hook')!.body)).toMatchObject({
      severity: 'resolved',
    });
  });

  it('should count the deliveries in /metrics', async () => {
    const text = (await request(t.url).get('/metrics')).text;

    expect(text).toMatch(/^vitals_notifications_total\{receiver="hook",result="sent"\} 2$/m);
    expect(text).toMatch(/^vitals_notification_queue\{receiver="phone"\} 0$/m);
  });
});

describe('alert delivery to a receiver that fails or hangs', () => {
  let dir: string;
  let sink: Awaited<ReturnType<typeof receiver>>;
  let t: TestApp;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vitals-delivery-'));
    // /down answers 500 every time; /hang never answers.
    sink = await receiver((path) => (path === '/down' ? 500 : 0));
    const file = join(dir, 'alerts.yaml');
    writeFileSync(
      file,
      rules(
        `  - name: down
    webhook: { url: '${sink.url}/down' }
  - name: hang
    webhook: { url: '${sink.url}/hang' }`,
        `  - receiver: down
  - receiver: hang`,
      ),
    );
    t = await startTestApp({ VITALS_ALERTS_FILE: file });
  });

  afterAll(async () => {
    await t.app.close();
    sink.server.closeAllConnections();
    sink.server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('should retry, report each failure, and keep every tick on time meanwhile', async () => {
    const first = (await request(t.url).get('/api/v1/metrics/history?limit=1')).body as {
      newest: number;
    };
    t.host.containers = hot(180);
    await eventually(() => sink.received.filter((r) => r.path === '/down').length >= 2, 8000);
    await new Promise((resolve) => setTimeout(resolve, 1500));

    const history = (
      await request(t.url).get(`/api/v1/metrics/history?since=${first.newest}&groups=cpu`)
    ).body as { samples: { timestamp: string }[] };
    const times = history.samples.map((s) => Date.parse(s.timestamp));
    const gaps = times.slice(1).map((time, i) => time - times[i]!);
    // 250 ms ticks: a tick waiting on a receiver would leave a gap of seconds.
    expect(Math.max(...gaps)).toBeLessThan(1000);
    expect(times.length).toBeGreaterThan(6);
    const text = (await request(t.url).get('/metrics')).text;
    expect(text).toMatch(/^vitals_notification_queue\{receiver="hang"\} 1$/m);
  });
});

describe('a bad receiver or route in the alert rules file', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'vitals-delivery-bad-'));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('should stop the service with exit 1 and one line per problem, no secret shown', async () => {
    const file = join(dir, 'alerts.yaml');
    writeFileSync(
      file,
      rules(
        `  - name: chat
    telegram: { url: 'https://t.example' }
  - name: hook
    webhook: { url: 'ftp://example.com/x', secret: '\${VITALS_UNSET_SECRET}' }
  - name: team
    slack: { url: 'https://hooks.slack.com/services/T000/B000/SECRETTOKEN' }`,
        `  - receiver: hook
  - receiver: phone
  - receiver: team
    severity: [major]`,
      ),
    );
    const service = new ServiceProcess({ VITALS_PORT: '0', VITALS_ALERTS_FILE: file });

    const exit = await service.exited;

    expect(exit.code).toBe(1);
    const lines = service.stderr.split('\n').filter((line) => line.includes('VITALS_ALERTS_FILE'));
    expect(lines.length).toBeGreaterThanOrEqual(5);
    expect(service.stderr).toMatch(/receivers\[0\] \(chat\): .*telegram/);
    expect(service.stderr).toMatch(/receivers\[1\] \(hook\): .*ftp:/);
    expect(service.stderr).toMatch(/VITALS_UNSET_SECRET/);
    expect(service.stderr).toMatch(/routes\[1\]: .*phone/);
    expect(service.stderr).toMatch(/routes\[2\]: .*major/);
    expect(service.stderr).not.toContain('SECRETTOKEN');
    expect(service.stderr).not.toMatch(/^\s+at /m);
  });
});

describe('the variables the alert rules file names', () => {
  let dir: string;
  let service: ServiceProcess | undefined;

  afterAll(() => {
    service?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('should not be called unknown settings, while a misspelt setting still is', async () => {
    dir = mkdtempSync(join(tmpdir(), 'vitals-delivery-env-'));
    const file = join(dir, 'alerts.yaml');
    writeFileSync(
      file,
      rules(
        `  - name: hook
    webhook: { url: 'http://127.0.0.1:9/hook', secret: '\${VITALS_WEBHOOK_SECRET}' }`,
        '  - receiver: hook',
      ),
    );
    service = new ServiceProcess({
      VITALS_PORT: '0',
      VITALS_ALERTS_FILE: file,
      VITALS_WEBHOOK_SECRET: 'a-secret',
      VITALS_INTERVL: '500',
    });
    await service.listening();

    expect(service.stdout).toContain('VITALS_INTERVL is not a vitals setting');
    expect(service.stdout).not.toContain('VITALS_WEBHOOK_SECRET is not');
    expect(service.stdout).not.toContain('a-secret');
  });
});

const ALERTMANAGER = '/usr/bin/prometheus-alertmanager';
const describeWithAlertmanager =
  existsSync(ALERTMANAGER) || process.env.CI ? describe : describe.skip;

describeWithAlertmanager(
  `delivery to a real Alertmanager${existsSync(ALERTMANAGER) ? '' : ` (skipped: no ${ALERTMANAGER})`}`,
  () => {
    let dir: string;
    let alertmanager: ChildProcess;
    let amUrl: string;
    let t: TestApp;

    const amAlerts = async () =>
      (await (await fetch(`${amUrl}/api/v2/alerts`)).json()) as {
        labels: Record<string, string>;
        status: { state: string };
      }[];

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'vitals-alertmanager-'));
      writeFileSync(
        join(dir, 'alertmanager.yml'),
        'route:\n  receiver: nobody\nreceivers:\n  - name: nobody\n',
      );
      const port = await freePort();
      amUrl = `http://127.0.0.1:${port}`;
      alertmanager = spawn(
        ALERTMANAGER,
        [
          `--config.file=${join(dir, 'alertmanager.yml')}`,
          `--storage.path=${join(dir, 'data')}`,
          `--web.listen-address=127.0.0.1:${port}`,
          '--cluster.listen-address=',
        ],
        { stdio: 'ignore' },
      );
      await eventually(
        async () => (await fetch(`${amUrl}/-/ready`).catch(() => null))?.ok === true,
        15_000,
      );
      const file = join(dir, 'alerts.yaml');
      writeFileSync(
        file,
        rules(`  - name: team-am\n    alertmanager: { url: '${amUrl}' }`, '  - receiver: team-am'),
      );
      t = await startTestApp({ VITALS_ALERTS_FILE: file });
    }, 30_000);

    afterAll(async () => {
      await t?.app.close();
      alertmanager?.kill();
      if (alertmanager && alertmanager.exitCode === null) {
        await once(alertmanager, 'exit');
      }
      rmSync(dir, { recursive: true, force: true });
    });

    it('should show an alert vitals fired in Alertmanager, and end it on resolve', async () => {
      t.host.containers = hot(180);
      await eventually(async () => (await amAlerts()).length === 1, 10_000);

      const [alert] = await amAlerts();
      expect(alert?.labels).toMatchObject({
        alertname: 'container-cpu',
        severity: 'critical',
        host: 'test-host',
        container: 'web',
      });
      expect(alert?.status.state).toBe('active');

      t.host.containers = hot(5);
      await eventually(
        async () => (await amAlerts()).every((a) => a.status.state !== 'active'),
        10_000,
      );
    }, 30_000);
  },
);
