import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Test, type TestingModule } from '@nestjs/testing';
import { type FullHostReading, hostReading } from '../../test/helpers/readings.js';
import { samplerConfig } from '../config/sampler.config.js';
import { streamConfig } from '../config/stream.config.js';
import { SampleHubService } from '../hub/sample-hub.service.js';
import { Audience } from '../hub/audience.js';
import { MetricsService } from './metrics.service.js';
import type { HostGroup } from '../hub/sample.js';
import { SAMPLE_GROUPS } from '../hub/sample-group.js';
import { SelfMonitor } from './self.monitor.js';
import { HOST_READER, type HostReader } from '../host/host-reader.js';

const INTERVAL_MS = 1000;
/** How the fake host answers a read of each group. */
type Answer = <G extends HostGroup>(group: G) => Promise<FullHostReading[G]>;

describe('MetricsService', () => {
  let moduleRef: TestingModule;
  let answer: Answer;
  /** Every read, in order (with `top` for the process table). */
  let calls: Array<{ group: HostGroup; top?: number }>;
  let hub: SampleHubService;
  let service: MetricsService;
  let warn: jest.SpiedFunction<Logger['warn']>;
  let log: jest.SpiedFunction<Logger['log']>;
  let ticks: number;

  const readsOf = (group: HostGroup) => calls.filter((call) => call.group === group);
  const groupReads = (group: HostGroup) => readsOf(group).length;
  const read = <G extends HostGroup>(group: G, top?: number) => {
    calls.push({ group, top });
    return answer(group);
  };
  const reader: HostReader = {
    readCpu: () => read('cpu'),
    readMemory: () => read('memory'),
    readDisks: () => read('disks'),
    readDiskIo: () => read('diskIo'),
    readNetwork: () => read('network'),
    readProcesses: (top) => read('processes', top),
    readSensors: () => read('sensors'),
    readUptime: () => read('uptime'),
    readContainers: () => read('containers'),
    readContainer: () => read('container'),
    readGpus: () => read('gpus'),
  };

  beforeEach(async () => {
    jest.useFakeTimers();
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'debug').mockImplementation(() => undefined);
    ticks = 0;
    calls = [];
    answer = (group) => {
      if (group === 'cpu') {
        ticks++;
      }
      return Promise.resolve(hostReading(ticks)[group]);
    };
    moduleRef = await Test.createTestingModule({
      providers: [
        MetricsService,
        SampleHubService,
        SelfMonitor,
        SchedulerRegistry,
        { provide: Audience, useValue: { size: 3 } },
        { provide: HOST_READER, useValue: reader },
        { provide: streamConfig.KEY, useValue: { history: 10 } },
        {
          provide: samplerConfig.KEY,
          useValue: {
            hostName: 'web-1',
            intervalMs: INTERVAL_MS,
            disksIntervalMs: 30_000,
            enabled: true,
            processesIntervalMs: 5_000,
            topProcesses: 10,
            procfs: '/proc',
            sysfs: '/sys',
          },
        },
      ],
    }).compile();
    hub = moduleRef.get(SampleHubService);
    service = moduleRef.get(MetricsService);
  });

  afterEach(async () => {
    await moduleRef.close();
    jest.useRealTimers();
  });

  it('should publish a first sample with every group when the application bootstraps', async () => {
    await moduleRef.init();

    const sample = hub.latest?.sample;
    expect(sample).toMatchObject({ host: 'web-1', cpu: { usage: 1 } });
    expect(Object.keys(sample!)).toEqual(['id', 'timestamp', 'host', ...SAMPLE_GROUPS]);
    expect(sample?.self).toMatchObject({ subscribers: 3 });
  });

  it('should sample once per interval when time passes', async () => {
    await moduleRef.init();

    await jest.advanceTimersByTimeAsync(3 * INTERVAL_MS);

    expect(groupReads('cpu')).toBe(4);
    expect(hub.latest?.sample.cpu?.usage).toBe(4);
    expect(service.stats).toMatchObject({ samples: 4, failedTicks: 0, skippedTicks: 0 });
  });

  it('should read slow groups at their own cadence and carry their last value when ticks pass', async () => {
    await moduleRef.init();

    await jest.advanceTimersByTimeAsync(10 * INTERVAL_MS);

    expect(groupReads('cpu')).toBe(11);
    expect(groupReads('processes')).toBe(3); // at 0 s, 5 s and 10 s
    expect(readsOf('processes').map(({ top }) => top)).toEqual([10, 10, 10]);
    expect(groupReads('disks')).toBe(1);
    expect(groupReads('container')).toBe(1);
    expect(hub.latest?.sample.disks).toEqual(hostReading().disks);
  });

  it('should keep the last value and keep sampling when a slow group fails', async () => {
    await moduleRef.init();
    answer = (group) =>
      group === 'processes'
        ? Promise.reject(new Error('ps failed'))
        : Promise.resolve(hostReading(++ticks)[group]);

    await jest.advanceTimersByTimeAsync(10 * INTERVAL_MS);

    expect(service.stats.groupFailures.processes).toBe(2); // at 5 s and 10 s
    expect(service.stats.failingGroups).toEqual(['processes']);
    expect(service.stats.failedTicks).toBe(0);
    expect(hub.latest?.sample.processes).toEqual(hostReading().processes);
    expect(warn.mock.calls).toEqual([
      ['Reading processes failed: ps failed; its last value is kept until it recovers'],
    ]);
  });

  it('should publish null for a slow group when its first read fails', async () => {
    answer = (group) =>
      group === 'container'
        ? Promise.reject(new Error('EACCES /sys/fs/cgroup'))
        : Promise.resolve(hostReading(++ticks)[group]);

    await moduleRef.init();

    const sample = hub.latest?.sample;
    expect(sample?.container).toBeNull();
    expect(Object.keys(sample!)).toEqual(['id', 'timestamp', 'host', ...SAMPLE_GROUPS]);
    expect(sample?.disks).toEqual(hostReading().disks);
  });

  it('should publish the group as null, go on with the others and count it when a tick group fails', async () => {
    await moduleRef.init();
    answer = (group) =>
      group === 'sensors'
        ? Promise.reject(new Error('EIO temp1_input'))
        : Promise.resolve(hostReading(++ticks)[group]);
    const before = service.stats.samples;

    await jest.advanceTimersByTimeAsync(3 * INTERVAL_MS);

    const sample = hub.latest?.sample;
    expect(sample?.sensors).toBeNull();
    expect(sample?.cpu).not.toBeNull();
    expect(sample?.network).toEqual(hostReading().network);
    expect(service.stats.samples).toBe(before + 3);
    expect(service.stats.failedTicks).toBe(0);
    expect(service.stats.groupFailures).toMatchObject({ sensors: 3, cpu: 0, network: 0 });
    expect(service.stats.failingGroups).toEqual(['sensors']);
  });

  it('should warn once when a group starts failing and log once when it recovers', async () => {
    await moduleRef.init();
    log.mockClear();
    const healthy = answer;
    answer = (group) =>
      group === 'sensors' ? Promise.reject(new Error('EIO temp1_input')) : healthy(group);
    await jest.advanceTimersByTimeAsync(5 * INTERVAL_MS);

    answer = healthy;
    await jest.advanceTimersByTimeAsync(3 * INTERVAL_MS);

    expect(warn.mock.calls).toEqual([
      ['Reading sensors failed: EIO temp1_input; it is null until it recovers'],
    ]);
    expect(log.mock.calls).toEqual([['Reading sensors recovered after 5 failed reads']]);
    expect(hub.latest?.sample.sensors).toEqual(hostReading().sensors);
    expect(service.stats.failingGroups).toEqual([]);
    expect(service.stats.groupFailures.sensors).toBe(5);
  });

  it('should skip a tick instead of overlapping when the previous sample is still running', async () => {
    await moduleRef.init();
    let finish: () => void = () => undefined;
    const healthy = answer;
    answer = async (group) => {
      answer = healthy;
      await new Promise<void>((resolve) => (finish = resolve));
      return hostReading(42)[group];
    };

    await jest.advanceTimersByTimeAsync(INTERVAL_MS); // starts the slow sample
    await jest.advanceTimersByTimeAsync(INTERVAL_MS); // comes while it still runs
    finish(); // the tick's cpu read
    await jest.advanceTimersByTimeAsync(0);

    expect(service.stats.skippedTicks).toBe(1);
    expect(hub.latest?.sample.cpu?.usage).toBe(42);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('Tick skipped'));
  });

  it('should log, count and survive a failed tick when no group of the host can be read', async () => {
    await moduleRef.init();
    const before = hub.latest;
    const healthy = answer;
    answer = () => Promise.reject(new Error('EACCES /proc'));

    await jest.advanceTimersByTimeAsync(INTERVAL_MS);

    expect(service.stats.failedTicks).toBe(1);
    expect(hub.latest).toBe(before);
    expect(warn).toHaveBeenCalledWith(
      'Sample failed: no group could be read (cpu, memory, diskIo, network, uptime, sensors, containers, gpus)',
    );

    answer = healthy;
    await jest.advanceTimersByTimeAsync(INTERVAL_MS);

    expect(hub.latest).not.toBe(before);
    expect(service.stats.samples).toBe(2);
  });

  it('should stop sampling when the application shuts down', async () => {
    await moduleRef.init();
    const before = calls.length;

    await moduleRef.close();
    await jest.advanceTimersByTimeAsync(5 * INTERVAL_MS);

    expect(calls.length).toBe(before);
    expect(jest.getTimerCount()).toBe(0);
  });
});
