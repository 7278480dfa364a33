import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_HYSTERESIS, loadAlertRules } from './alert-rules.loader.js';
import { InvalidAlertRulesError } from '../common/invalid-alert-rules.error.js';

describe('loadAlertRules', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vitals-rules-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const file = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  /** The problems loading `text` reports, or a failure if it loads. */
  const problems = (text: string, name = 'rules.yaml'): string[] => {
    const path = file(name, text);
    try {
      loadAlertRules(path);
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidAlertRulesError);
      expect((error as InvalidAlertRulesError).file).toBe(path);
      return [...(error as InvalidAlertRulesError).problems];
    }
    throw new Error(`expected ${name} to be refused`);
  };

  it('should give the contract defaults when no file is set', () => {
    const rules = loadAlertRules(undefined);

    expect(
      rules.map(({ name, metric, warning, critical, forMs, hysteresis }) => ({
        name,
        metric,
        warning,
        critical,
        forMs,
        hysteresis,
      })),
    ).toEqual([
      {
        name: 'high-cpu',
        metric: 'cpu.usage',
        warning: 85,
        critical: 95,
        forMs: 30000,
        hysteresis: 5,
      },
      {
        name: 'high-memory',
        metric: 'memory.usage',
        warning: 85,
        critical: 95,
        forMs: 0,
        hysteresis: 5,
      },
      {
        name: 'swap',
        metric: 'memory.swapUsage',
        warning: 50,
        critical: 80,
        forMs: 0,
        hysteresis: 5,
      },
      {
        name: 'disk-full',
        metric: 'disks[].usage',
        warning: 85,
        critical: 95,
        forMs: 0,
        hysteresis: 5,
      },
    ]);
  });

  it('should read a YAML file, filling in for and hysteresis', () => {
    const path = file(
      'rules.yml',
      [
        'rules:',
        '  - name: high-memory',
        '    metric: memory.usage',
        '    warning: 85',
        '    critical: 95',
        '    for: 1m30s',
        '    hysteresis: 2.5',
        '  - name: hot',
        '    metric: sensors.cpuTempC',
        '    critical: 90',
      ].join('\n'),
    );

    const [memory, hot] = loadAlertRules(path);

    expect(memory).toMatchObject({ warning: 85, critical: 95, forMs: 90000, hysteresis: 2.5 });
    expect(hot).toMatchObject({ warning: null, critical: 90, forMs: 0 });
    expect(hot?.hysteresis).toBe(DEFAULT_HYSTERESIS);
  });

  it('should read a JSON file when its name ends in .json', () => {
    const path = file(
      'rules.json',
      JSON.stringify({ rules: [{ name: 'busy', metric: 'cpu.cores[]', warning: 90, for: '10s' }] }),
    );

    expect(loadAlertRules(path)).toEqual([expect.objectContaining({ name: 'busy', forMs: 10000 })]);
  });

  it('should accept an empty rule list, which turns alerts off', () => {
    expect(loadAlertRules(file('none.yaml', 'rules: []\n'))).toEqual([]);
  });

  it('should name the rule and the path when the metric is unknown', () => {
    expect(problems('rules:\n  - {name: typo, metric: memory.usag, warning: 1}\n')).toEqual([
      expect.stringMatching(/^rule 1 \(typo\): metric "memory.usag": memory has no field "usag"/),
    ]);
  });

  it.each([
    ['a group, not a number', 'memory', /memory is a group of figures/],
    ['a list without []', 'disks.usage', /disks is a list: write disks\[\]/],
    ['[] on a number', 'memory.usage[]', /usage is not a list/],
    ['an unknown group', 'gpu.usage', /the sample has no field "gpu"/],
    ['a malformed segment', 'cpu..usage', /"" is not a field name/],
  ])('should refuse a metric path that is %s', (_, metric, message) => {
    const [problem] = problems(`rules:\n  - {name: r, metric: "${metric}", warning: 1}\n`);

    expect(problem).toMatch(message);
  });

  it('should refuse a warning threshold at or above the critical one', () => {
    expect(
      problems('rules:\n  - {name: r, metric: cpu.usage, warning: 95, critical: 85}\n'),
    ).toEqual(['rule 1 (r): warning (95) must be below critical (85)']);
  });

  it.each(['10', '10 s', '1w', '-5s', 'soon', '5s10'])('should refuse the duration %p', (text) => {
    expect(
      problems(`rules:\n  - {name: r, metric: cpu.usage, warning: 1, for: "${text}"}\n`),
    ).toEqual([`rule 1 (r): for "${text}" is not a duration such as 30s, 5m or 1h30m`]);
  });

  it('should refuse a number for a duration unless it is 0', () => {
    expect(problems('rules:\n  - {name: r, metric: cpu.usage, warning: 1, for: 10}\n')).toEqual([
      'rule 1 (r): for must be a duration such as 30s, 5m or 1h30m',
    ]);
    expect(
      loadAlertRules(
        file('zero.yaml', 'rules:\n  - {name: r, metric: cpu.usage, warning: 1, for: 0}\n'),
      ),
    ).toHaveLength(1);
  });

  it('should say where the YAML is broken when it does not parse', () => {
    const [problem] = problems('rules:\n  - name: r\n   metric: [cpu.usage\n');

    expect(problem).toMatch(/^cannot be read: .*line \d+/);
  });

  it('should refuse broken JSON in a .json file', () => {
    expect(problems('{"rules": [', 'rules.json')).toEqual([
      expect.stringMatching(/^cannot be read: /),
    ]);
  });

  it('should say the file is missing when it cannot be opened', () => {
    expect(() => loadAlertRules(join(dir, 'absent.yaml'))).toThrow(/cannot be read: ENOENT/);
  });

  it.each([
    ['no rules list', 'alerts: []\n'],
    ['an empty file', ''],
    ['a list at the top', '- name: r\n'],
  ])('should ask for a "rules" list when the file has %s', (_, text) => {
    expect(problems(text)).toEqual(['must be a map with a "rules" list']);
  });

  it('should list every bad rule at once, each with its position and name', () => {
    const text = [
      'rules:',
      '  - {name: ok, metric: cpu.usage, warning: 1}',
      '  - {name: no-levels, metric: cpu.usage}',
      '  - {name: typo, metric: cpu.usage, warning: 1, critcal: 2}',
      '  - {metric: cpu.usage, warning: 1}',
      '  - {name: ok, metric: memory.usage, warning: 1}',
      '  - {name: text, metric: cpu.usage, warning: high}',
      '  - {name: neg, metric: cpu.usage, warning: 1, hysteresis: -1}',
      '  - just a string',
    ].join('\n');

    expect(problems(text)).toEqual([
      'rule 2 (no-levels): needs a warning or a critical threshold (or both)',
      'rule 3 (typo): unknown field "critcal" (allowed: name, metric, warning, critical, for, hysteresis)',
      'rule 4: name is required',
      'rule 5 (ok): another rule is already named "ok"',
      'rule 6 (text): warning must be a number',
      'rule 7 (neg): hysteresis must not be negative',
      'rule 8: must be a map with name, metric and warning and/or critical',
    ]);
  });
});
