import { sampleReading } from '../../test/helpers/readings.js';
import type { Sample } from '../hub/sample.js';
import { compileMetricPath } from './metric-path.js';

const SAMPLE: Sample = { ...sampleReading(40), id: 1 };

describe('compileMetricPath', () => {
  it('should read one unlabelled value for a plain path', () => {
    expect(compileMetricPath('memory.usage')(SAMPLE)).toEqual([{ labels: {}, value: 25 }]);
    expect(compileMetricPath('uptime')(SAMPLE)).toEqual([{ labels: {}, value: 3600 }]);
  });

  it('should read each element of a list with the labels that identify it', () => {
    const sample: Sample = {
      ...SAMPLE,
      network: [
        { iface: 'eth0', rxBytesPerSec: 10, txBytesPerSec: 1 },
        { iface: 'wlan0', rxBytesPerSec: null, txBytesPerSec: 2 },
      ],
    };

    expect(compileMetricPath('network[].rxBytesPerSec')(sample)).toEqual([
      { labels: { iface: 'eth0' }, value: 10 },
      { labels: { iface: 'wlan0' }, value: null },
    ]);
    expect(compileMetricPath('cpu.cores[]')(sample)).toEqual([
      { labels: { core: '0' }, value: 40 },
      { labels: { core: '1' }, value: 40 },
    ]);
    expect(compileMetricPath('cpu.load[]')(sample)?.map((v) => v.labels.window)).toEqual([
      '1m',
      '5m',
      '15m',
    ]);
    expect(compileMetricPath('processes.top[].cpu')(sample)).toEqual([
      { labels: { pid: '1', name: 'init' }, value: 0.5 },
    ]);
  });

  it('should label each container by its name, or its id when the runtime API gave none', () => {
    const [web] = SAMPLE.containers ?? [];
    const sample: Sample = {
      ...SAMPLE,
      containers: [
        { ...web!, id: 'aaaaaaaaaaaa', name: 'web', memoryUsage: 91.5 },
        { ...web!, id: 'bbbbbbbbbbbb', name: null, memoryUsage: null },
      ],
    };

    expect(compileMetricPath('containers[].memoryUsage')(sample)).toEqual([
      { labels: { container: 'web' }, value: 91.5 },
      { labels: { container: 'bbbbbbbbbbbb' }, value: null },
    ]);
    expect(compileMetricPath('containers[].pids')(sample)?.map((v) => v.value)).toEqual([12, 12]);
    expect(() => compileMetricPath('containers[].name')).toThrow();
  });

  it('should label each GPU by its index when the path is under gpus[]', () => {
    const [a10] = SAMPLE.gpus ?? [];
    const sample: Sample = {
      ...SAMPLE,
      gpus: [
        { ...a10!, index: 0, utilization: 87, temperatureC: 61, memoryUsage: 25 },
        { ...a10!, index: 1, name: 'Intel Arc A770', vendor: 'intel', utilization: null },
      ],
    };

    expect(compileMetricPath('gpus[].utilization')(sample)).toEqual([
      { labels: { gpu: '0' }, value: 87 },
      { labels: { gpu: '1' }, value: null },
    ]);
    expect(compileMetricPath('gpus[].temperatureC')(sample)?.[0]).toEqual({
      labels: { gpu: '0' },
      value: 61,
    });
    expect(compileMetricPath('gpus[].memoryUsage')(sample)?.[0]?.value).toBe(25);
    expect(() => compileMetricPath('gpus[].name')).toThrow();
  });

  it('should read nothing when the group has not been read yet', () => {
    const sample: Sample = { ...SAMPLE, disks: null, processes: null };

    expect(compileMetricPath('disks[].usage')(sample)).toBeUndefined();
    expect(compileMetricPath('processes.total')(sample)).toBeUndefined();
  });

  it('should read a null figure as a null value', () => {
    expect(compileMetricPath('memory.swapUsage')(SAMPLE)).toEqual([{ labels: {}, value: null }]);
  });

  it('should not take a field from the object prototype for a metric', () => {
    expect(() => compileMetricPath('cpu.constructor')).toThrow('cpu has no field "constructor"');
    expect(() => compileMetricPath('__proto__.x')).toThrow('is not a field name');
  });
});
