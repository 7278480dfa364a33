import { createHmac } from 'node:crypto';
import type { AlertChange } from '../hub/alert-change.js';
import { AlertEvent } from '../hub/alert-event.js';
import { alertSummary } from './alert-text.js';
import { alertmanagerAlerts, alertmanagerLabelName } from './alertmanager-alerts.js';
import type {
  AlertmanagerReceiver,
  DiscordReceiver,
  NtfyReceiver,
  Receiver,
  SlackReceiver,
  WebhookReceiver,
} from './delivery-config.js';
import {
  alertmanagerRequest,
  deliveryRequest,
  discordRequest,
  ntfyRequest,
  slackRequest,
  webhookBody,
  webhookRequest,
  webhookSignature,
} from './receiver-payloads.js';

const FIRED_AT = '2026-11-24T11:00:00.000Z';
const RESOLVED_AT = '2026-11-24T11:07:30.000Z';

const CRITICAL: AlertChange = {
  rule: 'disk-full',
  metric: 'disks[].usage',
  severity: 'critical',
  value: 96.4321,
  threshold: 95,
  since: FIRED_AT,
  host: 'web-1',
  labels: { mount: '/' },
};
const RESOLVED: AlertChange = {
  ...CRITICAL,
  severity: 'resolved',
  value: 79.5,
  threshold: 85,
  since: RESOLVED_AT,
};

// The webhook body for CRITICAL as event 1795524273660, written out by hand.
const BODY =
  '{"id":1795524273660,"rule":"disk-full","metric":"disks[].usage","severity":"critical",' +
  '"value":96.4321,"threshold":95,"since":"2026-11-24T11:00:00.000Z","host":"web-1",' +
  '"labels":{"mount":"/"}}';

const webhook: WebhookReceiver = { name: 'hook', kind: 'webhook', url: 'https://example.com/in' };
const am: AlertmanagerReceiver = { name: 'am', kind: 'alertmanager', url: 'http://127.0.0.1:9093' };
const ntfy: NtfyReceiver = { name: 'phone', kind: 'ntfy', url: 'https://ntfy.sh/ops-alerts' };
const slack: SlackReceiver = {
  name: 'chat',
  kind: 'slack',
  url: 'https://hooks.slack.com/services/T0/B0/X',
};
const discord: DiscordReceiver = {
  name: 'ds',
  kind: 'discord',
  url: 'https://discord.com/api/webhooks/1/abc',
};

describe('webhook', () => {
  it('should send the stream alert data with its id, in the contract order', () => {
    const request = webhookRequest(webhook, { eventId: '1795524273660', alert: CRITICAL });

    expect(request).toEqual({
      url: 'https://example.com/in',
      headers: { 'Content-Type': 'application/json' },
      body: BODY,
    });
  });

  it("should carry exactly the alert event's data plus id", () => {
    const event = new AlertEvent(7, '1795524273660', CRITICAL, 0);

    const body = JSON.parse(webhookBody(event)) as Record<string, unknown>;

    const { id, ...data } = body;
    expect(id).toBe(1795524273660);
    expect(data).toEqual(JSON.parse(event.frame().data));
  });

  it("should keep a gateway's Redis Stream id as text", () => {
    const body = webhookBody({ eventId: '1795524273660-3', alert: CRITICAL });

    expect(body.startsWith('{"id":"1795524273660-3","rule":"disk-full"')).toBe(true);
  });

  it('should sign the exact body with HMAC-SHA256 when a secret is set', () => {
    const secret = 's3cr3t-hmac-key';

    const request = webhookRequest(
      { ...webhook, secret },
      { eventId: '1795524273660', alert: CRITICAL },
    );

    // The same digest by `openssl dgst -sha256 -hmac s3cr3t-hmac-key` over BODY.
    const expected = '127e822ee54f02484765ca9e4e161d8bf48be63bd8e8c36440acc1867ebc720c';
    expect(request.body).toBe(BODY);
    expect(request.headers).toEqual({
      'Content-Type': 'application/json',
      'X-Vitals-Signature': `sha256=${expected}`,
    });
    expect(createHmac('sha256', secret).update(request.body).digest('hex')).toBe(expected);
    expect(webhookSignature(BODY, secret)).toBe(`sha256=${expected}`);
  });

  it('should sign UTF-8 bytes when the body is beyond ASCII', () => {
    const alert = { ...CRITICAL, host: 'wébserver' };
    const request = webhookRequest({ ...webhook, secret: 'k' }, { eventId: '1', alert });

    const bytes = Buffer.from(request.body, 'utf8');
    expect(request.headers['X-Vitals-Signature']).toBe(
      `sha256=${createHmac('sha256', 'k').update(bytes).digest('hex')}`,
    );
  });

  it('should send credentials in the URL as Basic auth, since fetch refuses them there', () => {
    const request = webhookRequest(
      { ...webhook, url: 'https://vitals:p%40ss@example.com/in?x=1' },
      { eventId: '1', alert: CRITICAL },
    );

    expect(request.url).toBe('https://example.com/in?x=1');
    expect(request.headers.Authorization).toBe(
      `Basic ${Buffer.from('vitals:p@ss').toString('base64')}`,
    );
  });
});

describe('alertmanager', () => {
  const labels = { alertname: 'disk-full', severity: 'critical', host: 'web-1', mount: '/' };

  it('should fire an alert with the contract labels and annotations, starting at since', () => {
    const alerts = alertmanagerAlerts(CRITICAL);

    expect(alerts).toEqual([
      {
        labels,
        annotations: {
          metric: 'disks[].usage',
          value: '96.4321',
          threshold: '95',
          summary: 'CRITICAL disk-full on web-1 (mount=/): disks[].usage = 96.43, at or above 95',
        },
        startsAt: FIRED_AT,
      },
    ]);
  });

  it('should POST the alerts as a JSON array to <url>/api/v2/alerts', () => {
    const alerts = alertmanagerAlerts(CRITICAL);

    const request = alertmanagerRequest(am, alerts);

    expect(request).toEqual({
      url: 'http://127.0.0.1:9093/api/v2/alerts',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(alerts),
    });
    expect(JSON.parse(request.body)).toHaveLength(1);
  });

  it.each([
    ['a trailing slash', 'http://127.0.0.1:9093/', 'http://127.0.0.1:9093/api/v2/alerts'],
    [
      'a path prefix',
      'https://am.example.com/alertmanager',
      'https://am.example.com/alertmanager/api/v2/alerts',
    ],
    [
      'a path prefix and slashes',
      'https://am.example.com/am//',
      'https://am.example.com/am/api/v2/alerts',
    ],
  ])('should join the API path to a base URL with %s', (_case, url, expected) => {
    expect(alertmanagerRequest({ ...am, url }, []).url).toBe(expected);
  });

  it('should send credentials in the base URL as Basic auth', () => {
    const request = alertmanagerRequest({ ...am, url: 'https://admin:pw@am.example.com/' }, []);

    expect(request).toEqual({
      url: 'https://am.example.com/api/v2/alerts',
      headers: {
        Authorization: `Basic ${Buffer.from('admin:pw').toString('base64')}`,
        'Content-Type': 'application/json',
      },
      body: '[]',
    });
  });

  it('should end the alert with the severity it fired at when it resolves', () => {
    const alerts = alertmanagerAlerts(RESOLVED, { previous: CRITICAL });

    expect(alerts).toEqual([
      {
        labels,
        annotations: {
          metric: 'disks[].usage',
          value: '79.5',
          threshold: '85',
          summary: 'RESOLVED disk-full on web-1 (mount=/): disks[].usage = 79.5, below 85 again',
        },
        startsAt: FIRED_AT,
        endsAt: RESOLVED_AT,
      },
    ]);
  });

  it('should end both levels when a resolve comes with no firing level known', () => {
    const alerts = alertmanagerAlerts(RESOLVED);

    expect(alerts.map((alert) => [alert.labels.severity, alert.startsAt, alert.endsAt])).toEqual([
      ['warning', RESOLVED_AT, RESOLVED_AT],
      ['critical', RESOLVED_AT, RESOLVED_AT],
    ]);
  });

  it('should take a previous change that is itself a resolve as no firing level', () => {
    expect(alertmanagerAlerts(RESOLVED, { previous: RESOLVED })).toEqual(
      alertmanagerAlerts(RESOLVED),
    );
  });

  it('should end the warning and fire the critical alert when a warning escalates', () => {
    const warning: AlertChange = { ...CRITICAL, severity: 'warning', value: 88, threshold: 85 };
    const escalated: AlertChange = { ...CRITICAL, since: '2026-11-24T11:02:00.000Z' };

    const alerts = alertmanagerAlerts(escalated, {
      previous: warning,
      expiresAt: '2026-11-24T11:06:00.000Z',
    });

    expect(
      alerts.map(({ labels: { severity }, startsAt, endsAt }) => ({ severity, startsAt, endsAt })),
    ).toEqual([
      { severity: 'warning', startsAt: FIRED_AT, endsAt: '2026-11-24T11:02:00.000Z' },
      {
        severity: 'critical',
        startsAt: '2026-11-24T11:02:00.000Z',
        endsAt: '2026-11-24T11:06:00.000Z',
      },
    ]);
  });

  it('should keep the first start when the same level is sent again', () => {
    const again: AlertChange = { ...CRITICAL, since: '2026-11-24T11:05:00.000Z' };

    const [alert] = alertmanagerAlerts(again, { previous: CRITICAL });

    expect(alert?.startsAt).toBe(FIRED_AT);
    expect(alertmanagerAlerts(again, { previous: CRITICAL })).toHaveLength(1);
  });

  it('should never end an alert before its start', () => {
    const early: AlertChange = { ...CRITICAL, since: '2026-11-24T11:09:00.000Z' };

    const [alert] = alertmanagerAlerts(RESOLVED, { previous: early });

    expect(alert).toMatchObject({ startsAt: RESOLVED_AT, endsAt: RESOLVED_AT });
  });

  it('should pass expiresAt as endsAt of a firing alert, and generatorURL on every alert', () => {
    const options = {
      expiresAt: '2026-11-24T11:04:00.000Z',
      generatorURL: 'https://vitals.example.com/',
    };

    const [firing] = alertmanagerAlerts(CRITICAL, options);
    const [ended] = alertmanagerAlerts(RESOLVED, { ...options, previous: CRITICAL });

    expect(firing).toMatchObject({
      endsAt: '2026-11-24T11:04:00.000Z',
      generatorURL: 'https://vitals.example.com/',
    });
    expect(ended).toMatchObject({
      endsAt: RESOLVED_AT,
      generatorURL: 'https://vitals.example.com/',
    });
  });

  it('should leave out the value annotation when the element is gone', () => {
    const gone: AlertChange = { ...RESOLVED, value: null };

    const [alert] = alertmanagerAlerts(gone, { previous: CRITICAL });

    expect(alert?.annotations).toEqual({
      metric: 'disks[].usage',
      threshold: '85',
      summary: 'RESOLVED disk-full on web-1 (mount=/): disks[].usage is no longer reported',
    });
  });

  it.each([
    ['mount', 'mount'],
    ['mount point', 'mount_point'],
    ['net.iface', 'net_iface'],
    ['9lives', '_9lives'],
    ['größe', 'gr__e'],
    ['🚀x', '_x'],
    ['', '_'],
  ])('should sanitise the label name %j to %j', (name, expected) => {
    expect(alertmanagerLabelName(name)).toBe(expected);
  });

  it('should sanitise element labels and never let one replace alertname, severity or host', () => {
    const change: AlertChange = {
      ...CRITICAL,
      labels: { 'mount point': '/data', host: 'spoof', severity: 'spoof', alertname: 'spoof' },
    };

    const [alert] = alertmanagerAlerts(change);

    expect(alert?.labels).toEqual({
      mount_point: '/data',
      alertname: 'disk-full',
      severity: 'critical',
      host: 'web-1',
    });
  });

  it('should batch active alerts for a re-send in one request', () => {
    const warning: AlertChange = {
      ...CRITICAL,
      rule: 'high-memory',
      severity: 'warning',
      labels: {},
    };
    const expiresAt = '2026-11-24T11:10:00.000Z';

    const request = alertmanagerRequest(
      am,
      [CRITICAL, warning].flatMap((change) => alertmanagerAlerts(change, { expiresAt })),
    );

    const sent = JSON.parse(request.body) as { labels: Record<string, string>; endsAt: string }[];
    expect(
      sent.map(({ labels: { alertname, severity }, endsAt }) => [alertname, severity, endsAt]),
    ).toEqual([
      ['disk-full', 'critical', expiresAt],
      ['high-memory', 'warning', expiresAt],
    ]);
  });
});

describe('ntfy', () => {
  it('should send the detail as text with title, priority and tags headers', () => {
    const request = ntfyRequest(ntfy, CRITICAL);

    expect(request).toEqual({
      url: 'https://ntfy.sh/ops-alerts',
      headers: {
        'Content-Type': 'text/plain; charset=utf-8',
        'X-Title': 'CRITICAL disk-full on web-1 (mount=/)',
        'X-Priority': '5',
        'X-Tags': 'rotating_light,web-1',
      },
      body: 'disks[].usage = 96.43, at or above 95\nsince 2026-11-24T11:00:00.000Z',
    });
  });

  it.each([
    ['critical', '5', 'rotating_light'],
    ['warning', '4', 'warning'],
    ['resolved', '3', 'white_check_mark'],
  ] as const)('should give a %s change priority %s and the %s tag', (severity, priority, tag) => {
    const request = ntfyRequest(ntfy, { ...CRITICAL, severity });

    expect(request.headers['X-Priority']).toBe(priority);
    expect(request.headers['X-Tags']).toBe(`${tag},web-1`);
  });

  it('should send a token as Authorization Bearer', () => {
    const request = ntfyRequest({ ...ntfy, token: 'tk_abc' }, CRITICAL);

    expect(request.headers.Authorization).toBe('Bearer tk_abc');
  });

  it('should encode a title beyond ASCII as RFC 2047 and keep control characters out', () => {
    const request = ntfyRequest(ntfy, { ...CRITICAL, host: 'wébserver', labels: {} });
    const broken = ntfyRequest(ntfy, { ...CRITICAL, rule: 'a\r\nX-Evil: 1', labels: {} });

    // `printf 'CRITICAL disk-full on wébserver' | base64`
    expect(request.headers['X-Title']).toBe(
      '=?UTF-8?B?Q1JJVElDQUwgZGlzay1mdWxsIG9uIHfDqWJzZXJ2ZXI=?=',
    );
    expect(request.headers['X-Tags']).toBe(
      `rotating_light,=?UTF-8?B?${Buffer.from('wébserver').toString('base64')}?=`,
    );
    expect(broken.headers['X-Title']).toBe('CRITICAL a  X-Evil: 1 on web-1');
  });

  it('should split a long title into encoded-words of at most 75 characters', () => {
    const labels = { name: 'ü'.repeat(60) };

    const title = ntfyRequest(ntfy, { ...CRITICAL, labels }).headers['X-Title'] ?? '';

    const words = title.split(' ');
    expect(words.length).toBeGreaterThan(1);
    expect(words.every((word) => word.length <= 75)).toBe(true);
    const decoded = words
      .map((word) =>
        Buffer.from(/^=\?UTF-8\?B\?(.*)\?=$/.exec(word)?.[1] ?? '', 'base64').toString(),
      )
      .join('');
    expect(decoded).toBe(`CRITICAL disk-full on web-1 (name=${'ü'.repeat(60)})`);
  });

  it('should keep a comma in the host from splitting the tags', () => {
    const request = ntfyRequest(ntfy, { ...CRITICAL, host: 'a,b' });

    expect(request.headers['X-Tags']).toBe('rotating_light,a_b');
  });
});

describe('slack', () => {
  it('should send a mrkdwn text with emoji, title and detail', () => {
    const request = slackRequest(slack, CRITICAL);

    expect(request).toEqual({
      url: 'https://hooks.slack.com/services/T0/B0/X',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        text:
          ':rotating_light: *CRITICAL disk-full on web-1 (mount=/)*\n' +
          'disks[].usage = 96.43, at or above 95, since 2026-11-24T11:00:00.000Z',
      }),
    });
  });

  it('should escape &, < and > so that no text becomes a link or mention', () => {
    const change: AlertChange = { ...RESOLVED, labels: { name: '<!channel> & <http://x|y>' } };

    const { text } = JSON.parse(slackRequest(slack, change).body) as { text: string };

    expect(text).toBe(
      ':white_check_mark: *RESOLVED disk-full on web-1 (name=&lt;!channel&gt; &amp; &lt;http://x|y&gt;)*\n' +
        'disks[].usage = 79.5, below 85 again, since 2026-11-24T11:07:30.000Z',
    );
  });

  it('should keep the text within 3000 characters', () => {
    const change: AlertChange = { ...CRITICAL, labels: { name: 'x'.repeat(5000) } };

    const { text } = JSON.parse(slackRequest(slack, change).body) as { text: string };

    expect(text).toHaveLength(3000);
    expect(text.endsWith('x…')).toBe(true);
  });
});

describe('discord', () => {
  it('should send content and an embed coloured by severity, mentioning no one', () => {
    const request = discordRequest(discord, CRITICAL);

    expect(request.url).toBe('https://discord.com/api/webhooks/1/abc');
    expect(request.headers).toEqual({ 'Content-Type': 'application/json' });
    expect(JSON.parse(request.body)).toEqual({
      content:
        '🚨 CRITICAL disk-full on web-1 (mount=/): disks\\[\\].usage = 96.43, at or above 95',
      embeds: [
        {
          title: 'CRITICAL disk-full on web-1 (mount=/)',
          description: 'disks\\[\\].usage = 96.43, at or above 95',
          color: 0xe53935,
          timestamp: FIRED_AT,
          fields: [
            { name: 'Host', value: 'web-1', inline: true },
            { name: 'Value', value: '96.4321', inline: true },
            { name: 'Threshold', value: '95', inline: true },
          ],
        },
      ],
      allowed_mentions: { parse: [] },
    });
  });

  it.each([
    ['warning', 0xfb8c00],
    ['resolved', 0x43a047],
  ] as const)('should colour a %s change %d', (severity, colour) => {
    const body = JSON.parse(discordRequest(discord, { ...CRITICAL, severity }).body) as {
      embeds: { color: number }[];
    };

    expect(body.embeds[0]?.color).toBe(colour);
  });

  it('should escape markdown and keep within the content and title limits', () => {
    const change: AlertChange = {
      ...CRITICAL,
      rule: 'high_mem*',
      labels: { name: 'x'.repeat(3000) },
    };

    const body = JSON.parse(discordRequest(discord, change).body) as {
      content: string;
      embeds: { title: string }[];
    };

    expect(body.content.startsWith('🚨 CRITICAL high\\_mem\\* on web-1 (name=xxx')).toBe(true);
    expect(Array.from(body.content)).toHaveLength(2000);
    expect(Array.from(body.embeds[0]?.title ?? '')).toHaveLength(256);
  });
});

describe('deliveryRequest', () => {
  const delivery = { eventId: '1795524273660', alert: CRITICAL };

  it.each([
    ['webhook', webhook, webhookRequest(webhook, delivery)],
    ['alertmanager', am, alertmanagerRequest(am, alertmanagerAlerts(CRITICAL))],
    ['ntfy', ntfy, ntfyRequest(ntfy, CRITICAL)],
    ['slack', slack, slackRequest(slack, CRITICAL)],
    ['discord', discord, discordRequest(discord, CRITICAL)],
  ] as [string, Receiver, unknown][])(
    'should build the %s request',
    (_kind, receiver, expected) => {
      expect(deliveryRequest(receiver, delivery)).toEqual(expected);
    },
  );

  it('should pass the firing level on to Alertmanager', () => {
    const request = deliveryRequest(am, { eventId: '2', alert: RESOLVED }, { previous: CRITICAL });

    expect(request.body).toBe(JSON.stringify(alertmanagerAlerts(RESOLVED, { previous: CRITICAL })));
  });

  it('should build the same bytes from the same inputs', () => {
    expect(deliveryRequest(discord, delivery)).toEqual(deliveryRequest(discord, delivery));
  });
});

describe('alertSummary', () => {
  it.each([
    [
      'a firing change of a single value',
      { ...CRITICAL, labels: {} },
      'CRITICAL disk-full on web-1: disks[].usage = 96.43, at or above 95',
    ],
    [
      'a change of a list element',
      { ...CRITICAL, severity: 'warning', labels: { pid: '1', name: 'init' } },
      'WARNING disk-full on web-1 (pid=1, name=init): disks[].usage = 96.43, at or above 95',
    ],
    [
      'a resolve',
      RESOLVED,
      'RESOLVED disk-full on web-1 (mount=/): disks[].usage = 79.5, below 85 again',
    ],
  ] as [string, AlertChange, string][])('should read %s as one line', (_case, change, line) => {
    expect(alertSummary(change)).toBe(line);
  });
});
