import { readFileSync } from 'node:fs';
import {
  cpuShares,
  memoryFromMemInfo,
  parseLoadAvg,
  parseMemInfo,
  parsePidStat,
  parseProcStat,
} from './procfs.parser.js';

const fixture = (name: string): string =>
  readFileSync(
    new URL(`../../test/fixtures/hosts/multicore/proc/${name}`, import.meta.url),
    'utf8',
  );

describe('procfs parsers', () => {
  it('should read the aggregate line then one line per core when given /proc/stat', () => {
    const times = parseProcStat(fixture('stat'));

    expect(times).toHaveLength(5);
    expect(times[0]).toEqual({
      user: 10000,
      nice: 200,
      system: 5000,
      idle: 80000,
      iowait: 1000,
      irq: 100,
      softirq: 300,
      steal: 400,
    });
  });

  it('should count missing columns as zero when the kernel is old', () => {
    const [total] = parseProcStat('cpu  10 20 30 40\ncpu0 10 20 30 40\n');

    expect(total).toEqual({
      user: 10,
      nice: 20,
      system: 30,
      idle: 40,
      iowait: 0,
      irq: 0,
      softirq: 0,
      steal: 0,
    });
  });

  it('should throw when the text has no cpu line', () => {
    expect(() => parseProcStat('intr 1 2 3\n')).toThrow('no cpu lines');
  });

  it('should split time into shares when two readings differ', () => {
    const [before] = parseProcStat(fixture('stat'));
    const [after] = parseProcStat(fixture('stat.next'));

    expect(cpuShares(before!, after!)).toEqual({
      usage: 26,
      user: 16,
      system: 8,
      iowait: 4,
      steal: 2,
      idle: 70,
    });
  });

  it('should return null when no time passed between readings', () => {
    const [total] = parseProcStat(fixture('stat'));

    expect(cpuShares(total!, total!)).toBeNull();
  });

  it('should treat a counter that stepped back as no time when a core was hot-plugged', () => {
    const before = parseProcStat('cpu 100 0 100 1000 0 0 0 0\n')[0]!;
    const after = parseProcStat('cpu 50 0 150 1100 0 0 0 0\n')[0]!;

    expect(cpuShares(before, after)).toEqual({
      usage: 33.33,
      user: 0,
      system: 33.33,
      iowait: 0,
      steal: 0,
      idle: 66.67,
    });
  });

  it('should read three load averages when given /proc/loadavg', () => {
    expect(parseLoadAvg(fixture('loadavg'))).toEqual([1.25, 0.8, 0.5]);
  });

  it('should throw when /proc/loadavg is not numbers', () => {
    expect(() => parseLoadAvg('a b c')).toThrow('unexpected /proc/loadavg');
  });

  it('should compute memory in bytes when given /proc/meminfo', () => {
    expect(memoryFromMemInfo(parseMemInfo(fixture('meminfo')))).toEqual({
      total: 16384000 * 1024,
      used: 12288000 * 1024,
      available: 4096000 * 1024,
      usage: 75,
      swapTotal: 2097152 * 1024,
      swapUsed: 524288 * 1024,
      swapUsage: 25,
    });
  });

  it('should report swap usage as null when the host has no swap', () => {
    const memory = memoryFromMemInfo(
      parseMemInfo('MemTotal: 1000 kB\nMemAvailable: 250 kB\nSwapTotal: 0 kB\nSwapFree: 0 kB\n'),
    );

    expect(memory.swapUsage).toBeNull();
    expect(memory.usage).toBe(75);
  });

  it('should estimate available memory when the kernel predates MemAvailable', () => {
    const memory = memoryFromMemInfo(
      parseMemInfo('MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 50 kB\nCached: 150 kB\n'),
    );

    expect(memory.available).toBe(300 * 1024);
  });

  it('should read name, state, CPU ticks and RSS when a process name has spaces and parentheses', () => {
    const line =
      '977 (node (vitals) x) S 1 977 977 0 -1 4194560 100 0 0 0 210 100 0 0 20 0 1 0 100 ' +
      '200000000 25000 18446744073709551615 1 1 0\n';

    expect(parsePidStat(line)).toEqual({
      name: 'node (vitals) x',
      state: 'S',
      cpuTicks: 310,
      rssPages: 25000,
    });
    expect(parsePidStat('garbage')).toBeUndefined();
  });

  it('should throw when MemTotal is missing', () => {
    expect(() => memoryFromMemInfo(parseMemInfo('MemFree: 1 kB\n'))).toThrow('no MemTotal');
  });
});
