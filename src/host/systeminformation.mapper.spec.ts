import { readFileSync } from 'node:fs';
import {
  type FsSizeEntry,
  type ProcessTable,
  toCpuTemperature,
  toDiskUsage,
  toProcesses,
} from './systeminformation.mapper.js';

const recorded = <T>(name: string): T =>
  JSON.parse(
    readFileSync(new URL(`../../test/fixtures/systeminformation/${name}`, import.meta.url), 'utf8'),
  ) as T;

describe('systeminformation mappers', () => {
  it('should keep real filesystems with df-style usage when given fsSize output', () => {
    const disks = toDiskUsage(recorded<FsSizeEntry[]>('fsSize.json'));

    expect(disks).toEqual([
      {
        mount: '/',
        fs: '/dev/vda',
        type: 'ext4',
        size: 270553174016,
        used: 24772304896,
        usage: 22.74,
      },
      {
        mount: '/data',
        fs: '/dev/sdb1',
        type: 'xfs',
        size: 1000204886016,
        used: 600122931609,
        usage: 60,
      },
    ]);
  });

  it('should count processes and list the busiest first in bytes when given processes output', () => {
    const table = recorded<ProcessTable>('processes.json');

    const processes = toProcesses(table, 5);

    expect(processes.total).toBe(table.all);
    expect(processes.running).toBe(table.running);
    expect(processes.top).toHaveLength(5);
    const cpus = processes.top.map((p) => p.cpu);
    expect(cpus).toEqual([...cpus].sort((a, b) => b - a));
    const first = table.list.find((p) => p.pid === processes.top[0]!.pid)!;
    expect(processes.top[0]).toEqual({
      pid: first.pid,
      name: first.name,
      cpu: Math.round(first.cpu * 100) / 100,
      memory: Math.round(first.mem * 100) / 100,
      rss: first.memRss * 1024,
    });
  });

  it('should list no processes when the top count is 0', () => {
    expect(toProcesses(recorded<ProcessTable>('processes.json'), 0).top).toEqual([]);
  });

  it('should give null, not 0, when the host has no temperature sensor', () => {
    expect(toCpuTemperature(recorded<{ main: number | null }>('cpuTemperature.json'))).toBeNull();
    expect(toCpuTemperature({ main: -1 })).toBeNull();
    expect(toCpuTemperature({ main: 61.5 })).toBe(61.5);
  });
});
