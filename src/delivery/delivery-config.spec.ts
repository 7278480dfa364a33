import { parse as parseYaml } from 'yaml';
import type { AlertChange } from '../hub/alert-change.js';
import {
  parseDeliveryConfig,
  receiversFor,
  type DeliveryConfig,
  type DeliveryConfigContext,
} from './delivery-config.js';

const RULES = ['high-cpu', 'high-memory', 'disk-full'];
const ENV = {
  VITALS_WEBHOOK_SECRET: 's3cr3t-hmac-key',
  SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T000/B000/XXXXSECRET',
};

// The contract's example ("Delivery"), but for the elided Discord line and the quotes: in a
// YAML flow map (`{ … }`) an unquoted `${NAME}` is a parse error, so the values are quoted.
const CONTRACT_EXAMPLE = `
rules: []
receivers:
  - name: team-am
    alertmanager: { url: http://127.0.0.1:9093 }
  - name: hook
    webhook: { url: https://example.com/vitals, secret: '\${VITALS_WEBHOOK_SECRET}' }
  - name: phone
    ntfy: { url: https://ntfy.example.com/ops-alerts }
  - name: chat
    slack: { url: '\${SLACK_WEBHOOK_URL}' }
routes:
  - receiver: team-am
  - receiver: phone
    severity: [critical]
    rules: [high-memory, disk-full]
  - receiver: hook
  - receiver: chat
`;

const context = (env: Record<string, string> = ENV): DeliveryConfigContext => ({
  env,
  ruleNames: RULES,
});

/** The config `yaml` gives, or a failure listing its problems. */
const config = (yaml: string, env?: Record<string, string>): DeliveryConfig => {
  const result = parseDeliveryConfig(parseYaml(yaml), context(env));
  if (!result.ok) {
    throw new Error(`expected a valid config, got:\n${result.problems.join('\n')}`);
  }
  return result.config;
};

/** The problems `yaml` has, or a failure if it has none. */
const problems = (yaml: string, env?: Record<string, string>): string[] => {
  const result = parseDeliveryConfig(parseYaml(yaml), context(env));
  if (result.ok) {
    throw new Error('expected problems, got a valid config');
  }
  return result.problems;
};

describe('parseDeliveryConfig', () => {
  it('should read the contract example when its variables are set', () => {
    const parsed = config(CONTRACT_EXAMPLE);

    expect(parsed).toEqual({
      receivers: [
        { name: 'team-am', kind: 'alertmanager', url: 'http://127.0.0.1:9093' },
        {
          name: 'hook',
          kind: 'webhook',
          url: 'https://example.com/vitals',
          secret: 's3cr3t-hmac-key',
        },
        { name: 'phone', kind: 'ntfy', url: 'https://ntfy.example.com/ops-alerts' },
        {
          name: 'chat',
          kind: 'slack',
          url: 'https://hooks.slack.com/services/T000/B000/XXXXSECRET',
        },
      ],
      routes: [
        { receiver: 'team-am' },
        { receiver: 'phone', severity: ['critical'], rules: ['high-memory', 'disk-full'] },
        { receiver: 'hook' },
        { receiver: 'chat' },
      ],
    });
  });

  it('should read the same document as JSON', () => {
    const json = JSON.stringify(parseYaml(CONTRACT_EXAMPLE));

    const parsed = parseDeliveryConfig(JSON.parse(json), context());

    expect(parsed).toEqual({ ok: true, config: config(CONTRACT_EXAMPLE) });
  });

  it.each([
    ['a rules file with neither receivers nor routes', { rules: [] }],
    ['empty receivers: and routes: keys', { rules: [], receivers: null, routes: null }],
    ['empty lists', { rules: [], receivers: [], routes: [] }],
    ['no document at all', undefined],
  ])('should turn delivery off when given %s', (_case, document) => {
    const result = parseDeliveryConfig(document, context());

    expect(result).toEqual({ ok: true, config: { receivers: [], routes: [] } });
  });

  it('should take discord, a webhook without secret and an ntfy token, and one severity as text', () => {
    const parsed = config(
      `
receivers:
  - name: ds
    discord: { url: https://discord.com/api/webhooks/1/abc }
  - name: plain
    webhook: { url: http://10.0.0.5:8080/in }
  - name: phone
    ntfy: { url: https://ntfy.sh/topic, token: '\${NTFY_TOKEN}' }
routes:
  - { receiver: ds, severity: critical }
  - { receiver: plain, severity: [warning, critical, resolved, critical] }
  - { receiver: phone, rules: high-cpu }
`,
      { NTFY_TOKEN: 'tk_abc' },
    );

    expect(parsed).toEqual({
      receivers: [
        { name: 'ds', kind: 'discord', url: 'https://discord.com/api/webhooks/1/abc' },
        { name: 'plain', kind: 'webhook', url: 'http://10.0.0.5:8080/in' },
        { name: 'phone', kind: 'ntfy', url: 'https://ntfy.sh/topic', token: 'tk_abc' },
      ],
      routes: [
        { receiver: 'ds', severity: ['critical'] },
        { receiver: 'plain', severity: ['warning', 'critical', 'resolved'] },
        { receiver: 'phone', rules: ['high-cpu'] },
      ],
    });
  });

  describe('${NAME} substitution', () => {
    it('should replace every reference anywhere in a text when the variables are set', () => {
      const parsed = config(
        `
receivers:
  - name: \${TEAM}-hook
    webhook: { url: 'https://\${HOOK_HOST}:8443/in/\${TEAM}', secret: 'k-\${KEY}-\${KEY}' }
routes:
  - receiver: ops-hook
    rules: ['\${RULE}']
`,
        { TEAM: 'ops', HOOK_HOST: 'hooks.internal', KEY: 'x', RULE: 'disk-full' },
      );

      expect(parsed).toEqual({
        receivers: [
          {
            name: 'ops-hook',
            kind: 'webhook',
            url: 'https://hooks.internal:8443/in/ops',
            secret: 'k-x-x',
          },
        ],
        routes: [{ receiver: 'ops-hook', rules: ['disk-full'] }],
      });
    });

    it('should take ${NAME} unquoted in block style, where YAML reads it as text', () => {
      const parsed = config(`
receivers:
  - name: chat
    slack:
      url: \${SLACK_WEBHOOK_URL}
routes:
  - receiver: chat
`);

      expect(parsed.receivers).toEqual([
        { name: 'chat', kind: 'slack', url: ENV.SLACK_WEBHOOK_URL },
      ]);
    });

    it('should leave a $ that is no ${NAME} reference as it is written', () => {
      const parsed = config(`
receivers:
  - name: hook
    webhook: { url: 'https://example.com/a$b/\${not a name}/$\{', secret: 'pa$$word' }
routes: [{ receiver: hook }]
`);

      expect(parsed.receivers[0]).toMatchObject({
        url: 'https://example.com/a$b/${not a name}/${',
        secret: 'pa$$word',
      });
    });

    it('should report each variable that is not set, once per value, naming no value', () => {
      const found = problems(
        `
receivers:
  - name: hook
    webhook:
      url: https://example.com/vitals
      secret: \${VITALS_WEBHOOK_SECRET}
  - name: chat
    slack: { url: '\${SLACK_WEBHOOK_URL}' }
  - name: phone
    ntfy: { url: 'https://\${NTFY_HOST}/\${NTFY_TOPIC}/\${NTFY_HOST}', token: '\${NTFY_TOKEN}' }
routes:
  - receiver: hook
  - receiver: chat
  - receiver: phone
    rules: ['\${RULE}']
`,
        { SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T/B/X', NTFY_TOPIC: 'alerts' },
      );

      expect(found).toEqual([
        'receivers[0] (hook): ${VITALS_WEBHOOK_SECRET} is not set',
        'receivers[2] (phone): ${NTFY_HOST} is not set',
        'receivers[2] (phone): ${NTFY_TOKEN} is not set',
        'routes[2]: ${RULE} is not set',
      ]);
    });

    it('should take a variable set to the empty string as set, and refuse an empty secret', () => {
      const found = problems(
        `
receivers:
  - name: hook
    webhook: { url: https://example.com/vitals, secret: '\${VITALS_WEBHOOK_SECRET}' }
routes: [{ receiver: hook }]
`,
        { VITALS_WEBHOOK_SECRET: '' },
      );

      expect(found).toEqual([
        'receivers[0] (hook): secret must not be empty (from ${VITALS_WEBHOOK_SECRET})',
      ]);
    });
  });

  describe('problems', () => {
    it('should list every problem of every receiver and route, one line each, in order', () => {
      const found = problems(
        `
receivers:
  - name: team-am
    alertmanager: { url: http://127.0.0.1:9093 }
  - name: hook
    webhook: { url: ftp://x, secret: 12345 }
  - name: chat
    telegram: { url: https://api.telegram.org/bot/x }
  - name: both
    webhook: { url: https://example.com/a }
    slack: { url: https://hooks.slack.com/services/T/B/C }
  - name: no-url
    ntfy: { token: tk_1 }
  - name: typo
    webhook: { url: https://example.com/b, secrt: x }
    send_resolved: true
  - name: bare
  - webhook: { url: https://example.com/c }
  - name: 42
    discord: { url: 7 }
  - name: ''
    discord: https://discord.com/api/webhooks/1/abc
  - name: team-am
    alertmanager: { url: http://127.0.0.2:9093 }
  - just a text
  - name: spare
    alertmanager: { url: 'http://[::1' }
routes:
  - receiver: team-am
  - receiver: phone
  - receiver: hook
    severity: [critical, major]
    rules: [high-memory, nope]
  - { receiver: both, severities: [critical] }
  - { severity: [] , rules: [] }
  - { receiver: [hook] }
  - { receiver: chat, severity: [1], rules: { a: 1 } }
  - receiver: no-url
  - receiver: typo
  - receiver: bare
  - [receiver, hook]
`,
      );

      expect(found).toEqual([
        'receivers[1] (hook): url "ftp://x" is not an http(s) URL',
        'receivers[1] (hook): secret must be a text (quote it)',
        'receivers[2] (chat): unknown kind "telegram"; one of webhook, alertmanager, ntfy, slack, discord',
        'receivers[3] (both): has more than one kind (webhook, slack); give each receiver one',
        'receivers[4] (no-url): url is required, as in ntfy: { url: https://…, token: ${…} }',
        'receivers[5] (typo): unknown field "send_resolved" (allowed: name and one of webhook, alertmanager, ntfy, slack, discord)',
        'receivers[5] (typo): webhook: unknown field "secrt" (allowed: url, secret)',
        'receivers[6] (bare): needs a kind: one of webhook, alertmanager, ntfy, slack, discord',
        'receivers[7]: name is required',
        'receivers[8]: name must be a text',
        'receivers[8]: url must be a text',
        'receivers[9] (): name must not be empty',
        'receivers[9] (): discord must be a map such as { url: https://… }',
        'receivers[10] (team-am): another receiver is already named "team-am"',
        'receivers[11]: must be a map with a name and one of webhook, alertmanager, ntfy, slack, discord',
        'receivers[12] (spare): url "http://[::1" is not an http(s) URL',
        'routes[1]: receiver "phone" is not defined',
        'routes[2]: severity "major" is not one of warning, critical, resolved',
        'routes[2]: rule "nope" is not a rule of this file',
        'routes[3]: unknown field "severities" (allowed: receiver, severity, rules)',
        'routes[4]: receiver is required',
        'routes[4]: severity must not be empty (omit it to match every change)',
        'routes[4]: rules must not be empty (omit it to match every change)',
        "routes[5]: receiver must be a receiver's name",
        'routes[6]: severity must be a list of warning, critical, resolved',
        'routes[6]: rules must be a list of rule names',
        'routes[10]: must be a map with a receiver, and optionally severity and rules',
      ]);
    });

    it('should report a defined receiver that no route sends to', () => {
      const found = problems(`
receivers:
  - name: team-am
    alertmanager: { url: http://127.0.0.1:9093 }
  - name: forgotten
    webhook: { url: https://example.com/vitals }
  - name: broken
    webhook: { url: ftp://x }
routes:
  - receiver: team-am
`);

      expect(found).toEqual([
        'receivers[2] (broken): url "ftp://x" is not an http(s) URL',
        'receivers[1] (forgotten): no route sends to it (add a route, or remove the receiver)',
        'receivers[2] (broken): no route sends to it (add a route, or remove the receiver)',
      ]);
    });

    it('should report every receiver as unused when there are receivers but no routes', () => {
      const found = problems(`
receivers:
  - name: team-am
    alertmanager: { url: http://127.0.0.1:9093 }
`);

      expect(found).toEqual([
        'receivers[0] (team-am): no route sends to it (add a route, or remove the receiver)',
      ]);
    });

    it('should not call a receiver unused while a route names an unreadable receiver', () => {
      const found = problems(`
receivers:
  - name: team-am
    alertmanager: { url: http://127.0.0.1:9093 }
routes:
  - receiver: \${WHICH}
`);

      expect(found).toEqual(['routes[0]: ${WHICH} is not set']);
    });

    it('should report routes to no receiver when there are routes but no receivers', () => {
      const found = problems('routes: [{ receiver: team-am }]');

      expect(found).toEqual(['routes[0]: receiver "team-am" is not defined']);
    });

    it.each([
      [
        'receivers: a map',
        'receivers: { name: x }',
        'receivers: must be a list, each with a name and one of webhook, alertmanager, ntfy, slack, discord',
      ],
      [
        'routes: a text',
        'routes: everything',
        'routes: must be a list, each with a receiver and optional severity and rules',
      ],
    ])('should refuse %s', (_case, yaml, problem) => {
      expect(problems(yaml)).toEqual([problem]);
    });

    it('should refuse a name past 100 characters', () => {
      const name = 'n'.repeat(101);

      const found = problems(`
receivers: [{ name: ${name}, webhook: { url: https://example.com } }]
routes: [{ receiver: ${name} }]
`);

      expect(found).toEqual([`receivers[0] (${name}): name must be at most 100 characters`]);
    });
  });

  describe('secrets in messages', () => {
    it.each([
      [
        'a Slack URL without its scheme',
        'slack: { url: hooks.slack.com/services/T000/B000/XXXXSECRET }',
        {},
        'url "…" is not an http(s) URL',
      ],
      [
        'a Discord URL with another scheme',
        'discord: { url: "ws://discord.com/api/webhooks/1/XXXXSECRET" }',
        {},
        'url "ws://discord.com/…" is not an http(s) URL',
      ],
      [
        'an ntfy topic, a password of its own',
        'ntfy: { url: "ftp://ntfy.sh/XXXXSECRET" }',
        {},
        'url "ftp://ntfy.sh/…" is not an http(s) URL',
      ],
      [
        'a webhook URL taken from the environment',
        'webhook: { url: "${HOOK_URL}" }',
        { HOOK_URL: 'ftp://hooks.example.com/XXXXSECRET' },
        'url "ftp://hooks.example.com/…" (from ${HOOK_URL}) is not an http(s) URL',
      ],
      [
        'credentials and a query in a webhook URL',
        'webhook: { url: "ftp://me:XXXXSECRET@example.com/in?token=XXXXSECRET" }',
        {},
        'url "ftp://example.com/in?…" is not an http(s) URL',
      ],
      [
        'credentials and a query in a webhook URL that is no URL',
        'webhook: { url: "me:XXXXSECRET@example.com/in?token=XXXXSECRET" }',
        {},
        'url "example.com/in" is not an http(s) URL',
      ],
      [
        'a scheme without a host',
        'alertmanager: { url: "localhost:9093" }',
        {},
        'url "localhost:9093" is not an http(s) URL',
      ],
    ])('should not show %s', (_case, receiver, env, problem) => {
      const found = problems(
        `
receivers:
  - name: r
    ${receiver}
routes: [{ receiver: r }]
`,
        env,
      );

      expect(found).toEqual([`receivers[0] (r): ${problem}`]);
      expect(found.join('\n')).not.toContain('XXXXSECRET');
    });
  });
});

describe('receiversFor', () => {
  const change = (severity: AlertChange['severity'], rule: string): AlertChange => ({
    rule,
    metric: 'memory.usage',
    severity,
    value: 96,
    threshold: 95,
    since: '2026-11-24T11:00:00.000Z',
    host: 'web-1',
    labels: {},
  });

  it('should route by severity and rule, each receiver once, in the order receivers are defined', () => {
    const parsed = config(
      CONTRACT_EXAMPLE.replace('  - receiver: hook\n', '  - receiver: phone\n  - receiver: hook\n'),
    );
    const names = (severity: AlertChange['severity'], rule: string): string[] =>
      receiversFor(parsed, change(severity, rule)).map((receiver) => receiver.name);

    expect(names('critical', 'high-memory')).toEqual(['team-am', 'hook', 'phone', 'chat']);
    expect(names('critical', 'high-cpu')).toEqual(['team-am', 'hook', 'phone', 'chat']);
    expect(names('warning', 'disk-full')).toEqual(['team-am', 'hook', 'phone', 'chat']);
  });

  it("should apply a route's filters when it is the only route to its receiver", () => {
    const parsed = config(CONTRACT_EXAMPLE);
    const names = (severity: AlertChange['severity'], rule: string): string[] =>
      receiversFor(parsed, change(severity, rule)).map((receiver) => receiver.name);

    expect(names('critical', 'high-memory')).toEqual(['team-am', 'hook', 'phone', 'chat']);
    expect(names('critical', 'high-cpu')).toEqual(['team-am', 'hook', 'chat']);
    expect(names('warning', 'disk-full')).toEqual(['team-am', 'hook', 'chat']);
    expect(names('resolved', 'disk-full')).toEqual(['team-am', 'hook', 'chat']);
  });

  it('should send nothing when delivery is off', () => {
    expect(receiversFor({ receivers: [], routes: [] }, change('critical', 'high-cpu'))).toEqual([]);
  });
});
