import type { Sample } from '../hub/sample.js';
import { sampleReading } from '../../test/helpers/readings.js';
import type { AlertChange } from '../hub/alert-change.js';
import type { AlertRule } from './alert-rule.js';
import { AlertEvaluator } from './alert-evaluator.js';
import { compileMetricPath } from './metric-path.js';

const START = Date.parse('2026-11-24T11:00:00.000Z');

function rule(overrides: Partial<AlertRule> & { metric: string }): AlertRule {
  return {
    name: 'test-rule',
    warning: 80,
    critical: 90,
    forMs: 0,
    hysteresis: 5,
    read: compileMetricPath(overrides.metric),
    ...overrides,
  };
}

/** A sample whose memory group was read, so edits can set its figures. */
type WithMemory = Sample & { memory: NonNullable<Sample['memory']> };

/** A sample `second` seconds after START with memory usage `memory`. */
function sample(second: number, memory: number, edit?: (sample: WithMemory) => void): Sample {
  const reading = sampleReading();
  const value: WithMemory = {
    ...reading,
    id: second,
    timestamp: new Date(START + second * 1000).toISOString(),
    memory: { ...reading.memory, usage: memory },
  };
  edit?.(value);
  return value;
}

/** Feeds one memory value per second and returns the severities of the changes, in order. */
function run(evaluator: AlertEvaluator, values: number[]): string[] {
  return values.flatMap((value, second) =>
    evaluator.evaluate(sample(second, value)).map((change) => change.severity),
  );
}

describe('AlertEvaluator', () => {
  it('should fire once and stay quiet while a value flaps within the hysteresis band', () => {
    const evaluator = new AlertEvaluator([rule({ metric: 'memory.usage', critical: null })]);

    expect(run(evaluator, [70, 81, 79, 80.5, 76, 82, 75.1, 74.9, 79, 80])).toEqual([
      'warning', // 81
      'resolved', // 74.9: more than 5 below 80
      'warning', // 80 again
    ]);
  });

  it('should fire every time a value crosses when the hysteresis is 0', () => {
    const evaluator = new AlertEvaluator([
      rule({ metric: 'memory.usage', critical: null, hysteresis: 0 }),
    ]);

    expect(run(evaluator, [81, 79, 81, 79])).toEqual([
      'warning',
      'resolved',
      'warning',
      'resolved',
    ]);
  });

  it('should fire only after the value has held for the whole window, restarting it on a dip', () => {
    const evaluator = new AlertEvaluator([
      rule({ metric: 'memory.usage', critical: null, forMs: 3000, hysteresis: 0 }),
    ]);
    const fired: number[] = [];
    [85, 85, 85, 70, 85, 85, 85, 85, 85].forEach((value, second) => {
      if (evaluator.evaluate(sample(second, value)).length > 0) {
        fired.push(second);
      }
    });

    // Held from second 4: 3 s later is second 7. The run from 0 to 2 broke off at 3.
    expect(fired).toEqual([7]);
  });

  it('should go warning, critical, warning and resolved as the value climbs and falls', () => {
    const evaluator = new AlertEvaluator([rule({ metric: 'memory.usage' })]);
    const changes: AlertChange[] = [];
    [50, 82, 91, 88, 86, 84, 80, 76, 74].forEach((value, second) =>
      changes.push(...evaluator.evaluate(sample(second, value))),
    );

    expect(changes.map(({ severity, value, threshold }) => [severity, value, threshold])).toEqual([
      ['warning', 82, 80],
      ['critical', 91, 90],
      ['warning', 84, 80], // 88 and 86 stay critical (within 5 of 90); 84 leaves it
      ['resolved', 74, 80], // 76 is within 5 of 80
    ]);
    expect(changes[1]).toMatchObject({
      rule: 'test-rule',
      metric: 'memory.usage',
      since: new Date(START + 2000).toISOString(),
      host: 'web-1',
      labels: {},
    });
  });

  it('should jump straight to critical, and resolve straight from it, when the value leaps', () => {
    const evaluator = new AlertEvaluator([rule({ metric: 'memory.usage' })]);

    expect(run(evaluator, [10, 99, 10])).toEqual(['critical', 'resolved']);
  });

  it('should hold back critical for its window while warning, already held, fires', () => {
    const evaluator = new AlertEvaluator([rule({ metric: 'memory.usage', forMs: 2000 })]);

    expect(run(evaluator, [82, 82, 95, 95, 95])).toEqual([
      'warning', // second 2: 82 held since 0
      'critical', // second 4: 95 held since 2
    ]);
  });

  it('should track each disk on its own and label it with its mount', () => {
    const evaluator = new AlertEvaluator([rule({ metric: 'disks[].usage', critical: null })]);
    const disks = (root: number, data: number) => (s: WithMemory) => {
      s.disks = [
        { mount: '/', fs: '/dev/vda1', type: 'ext4', size: 100, used: root, usage: root },
        { mount: '/data', fs: '/dev/vdb1', type: 'xfs', size: 100, used: data, usage: data },
      ];
    };

    const first = evaluator.evaluate(sample(0, 0, disks(90, 10)));
    const second = evaluator.evaluate(sample(1, 0, disks(90, 85)));
    const third = evaluator.evaluate(sample(2, 0, disks(10, 85)));

    expect(first.map((c) => [c.severity, c.labels])).toEqual([['warning', { mount: '/' }]]);
    expect(second.map((c) => [c.severity, c.labels])).toEqual([['warning', { mount: '/data' }]]);
    expect(third.map((c) => [c.severity, c.labels])).toEqual([['resolved', { mount: '/' }]]);
  });

  it('should resolve the alert of an element that disappears, with a null value', () => {
    const evaluator = new AlertEvaluator([rule({ metric: 'network[].rxBytesPerSec' })]);
    evaluator.evaluate(
      sample(0, 0, (s) => (s.network = [{ iface: 'eth1', rxBytesPerSec: 95, txBytesPerSec: 0 }])),
    );

    const changes = evaluator.evaluate(sample(1, 0, (s) => (s.network = [])));

    expect(changes).toEqual([
      expect.objectContaining({ severity: 'resolved', value: null, labels: { iface: 'eth1' } }),
    ]);
  });

  it('should raise nothing while a group is not read yet or a value is not known', () => {
    const evaluator = new AlertEvaluator([
      rule({ name: 'disk', metric: 'disks[].usage' }),
      rule({ name: 'swap', metric: 'memory.swapUsage', warning: 50, critical: null }),
    ]);

    const changes = evaluator.evaluate(
      sample(0, 0, (s) => {
        s.disks = null;
        s.memory.swapUsage = null;
      }),
    );

    expect(changes).toEqual([]);
  });

  it('should resolve an alert, with a null value, when its value becomes unavailable', () => {
    const evaluator = new AlertEvaluator([
      rule({ name: 'swap', metric: 'memory.swapUsage', warning: 50, critical: null }),
    ]);
    evaluator.evaluate(sample(0, 0, (s) => (s.memory.swapUsage = 60)));

    // Swap turned off: the host no longer reports a swap usage.
    const off = evaluator.evaluate(sample(1, 0, (s) => (s.memory.swapUsage = null)));
    const stillOff = evaluator.evaluate(sample(2, 0, (s) => (s.memory.swapUsage = null)));

    expect(off).toEqual([
      expect.objectContaining({ rule: 'swap', severity: 'resolved', value: null, labels: {} }),
    ]);
    expect(stillOff).toEqual([]);
  });

  it('should resolve every alert of a group that fails to read, and fire again only after `for`', () => {
    const evaluator = new AlertEvaluator([
      rule({ name: 'disk', metric: 'disks[].usage', forMs: 2000 }),
    ]);
    const disks = (usage: number) => (s: WithMemory) =>
      (s.disks = [{ mount: '/', fs: 'a', type: 'ext4', size: 1, used: 1, usage }]);
    evaluator.evaluate(sample(0, 0, disks(99)));
    const fired = evaluator.evaluate(sample(2, 0, disks(99)));

    // The sampler sends a group it could not read as null.
    const failed = evaluator.evaluate(sample(3, 0, (s) => (s.disks = null)));
    const back = evaluator.evaluate(sample(4, 0, disks(99)));
    const held = evaluator.evaluate(sample(6, 0, disks(99)));

    expect(fired).toEqual([expect.objectContaining({ severity: 'critical' })]);
    expect(failed).toEqual([
      expect.objectContaining({ severity: 'resolved', value: null, labels: { mount: '/' } }),
    ]);
    expect(back).toEqual([]);
    expect(held).toEqual([expect.objectContaining({ severity: 'critical' })]);
  });

  it('should apply a rule with only a critical level', () => {
    const evaluator = new AlertEvaluator([
      rule({ metric: 'memory.usage', warning: null, critical: 90 }),
    ]);

    expect(run(evaluator, [89, 90, 86, 84])).toEqual(['critical', 'resolved']);
  });
});
