import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Test, type TestingModule } from '@nestjs/testing';
import { samplerConfig } from '../config/sampler.config.js';
import { streamConfig } from '../config/stream.config.js';
import { SampleHubService } from '../stream/sample-hub.service.js';
import { MetricsService } from './metrics.service.js';
import { hostReading as reading } from '../../test/helpers/readings.js';
import type { HostReading } from './sample.js';
import { SystemInfoClient } from './system-info.client.js';

const INTERVAL_MS = 1000;

describe('MetricsService', () => {
  let moduleRef: TestingModule;
  let read: jest.Mock<() => Promise<HostReading>>;
  let hub: SampleHubService;
  let service: MetricsService;
  let warn: jest.SpiedFunction<Logger['warn']>;

  beforeEach(async () => {
    jest.useFakeTimers();
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    let calls = 0;
    read = jest.fn(() => Promise.resolve(reading(++calls)));
    moduleRef = await Test.createTestingModule({
      providers: [
        MetricsService,
        SampleHubService,
        SchedulerRegistry,
        { provide: SystemInfoClient, useValue: { read } },
        { provide: streamConfig.KEY, useValue: { history: 10 } },
        {
          provide: samplerConfig.KEY,
          useValue: { hostName: 'web-1', intervalMs: INTERVAL_MS, procfs: '/proc', sysfs: '/sys' },
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

  it('should publish a first sample when the application bootstraps', async () => {
    await moduleRef.init();

    expect(read).toHaveBeenCalledTimes(1);
    expect(hub.latest?.sample).toMatchObject({ host: 'web-1', cpu: { usage: 1 } });
  });

  it('should sample once per interval when time passes', async () => {
    await moduleRef.init();

    await jest.advanceTimersByTimeAsync(3 * INTERVAL_MS);

    expect(read).toHaveBeenCalledTimes(4);
    expect(hub.latest?.sample.cpu.usage).toBe(4);
    expect(service.stats).toEqual({ samples: 4, failedTicks: 0, skippedTicks: 0 });
  });

  it('should skip a tick instead of overlapping when the previous sample is still running', async () => {
    await moduleRef.init();
    let finish: (value: HostReading) => void = () => undefined;
    read.mockImplementationOnce(() => new Promise((resolve) => (finish = resolve)));

    await jest.advanceTimersByTimeAsync(INTERVAL_MS); // starts the slow sample
    await jest.advanceTimersByTimeAsync(INTERVAL_MS); // comes while it still runs
    finish(reading(42));
    await jest.advanceTimersByTimeAsync(0);

    expect(read).toHaveBeenCalledTimes(2);
    expect(service.stats.skippedTicks).toBe(1);
    expect(hub.latest?.sample.cpu.usage).toBe(42);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('Tick skipped'));

    await jest.advanceTimersByTimeAsync(INTERVAL_MS);

    expect(read).toHaveBeenCalledTimes(3);
  });

  it('should log, count and survive a failed tick when the host cannot be read', async () => {
    await moduleRef.init();
    const before = hub.latest;
    read.mockRejectedValueOnce(new Error('EACCES /proc/stat'));

    await jest.advanceTimersByTimeAsync(INTERVAL_MS);

    expect(service.stats.failedTicks).toBe(1);
    expect(hub.latest).toBe(before);
    expect(warn).toHaveBeenCalledWith('Sample failed: EACCES /proc/stat');

    await jest.advanceTimersByTimeAsync(INTERVAL_MS);

    expect(hub.latest).not.toBe(before);
    expect(service.stats.samples).toBe(2);
  });

  it('should stop sampling when the application shuts down', async () => {
    await moduleRef.init();

    await moduleRef.close();
    await jest.advanceTimersByTimeAsync(5 * INTERVAL_MS);

    expect(read).toHaveBeenCalledTimes(1);
    expect(jest.getTimerCount()).toBe(0);
  });
});
