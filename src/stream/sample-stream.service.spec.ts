import { jest } from '@jest/globals';
import type { MessageEvent } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { sampleReading } from '../../test/helpers/readings.js';
import type { Subscription } from 'rxjs';
import { samplerConfig } from '../config/sampler.config.js';
import { streamConfig } from '../config/stream.config.js';
import { DEMO_PROJECTION } from './demo-projection.js';
import { GroupSelection } from './group-selection.js';
import { SampleHubService } from './sample-hub.service.js';
import { RETRY_MS, SampleStreamService } from './sample-stream.service.js';

const HEARTBEAT_MS = 1000;

const READING = sampleReading();

describe('SampleStreamService', () => {
  let hub: SampleHubService;
  let streams: SampleStreamService;
  let received: MessageEvent[];
  let subscription: Subscription | undefined;
  let completed: boolean;

  const subscribe = (open: () => ReturnType<SampleStreamService['open']>): void => {
    subscription = open().subscribe({
      next: (frame) => received.push(frame),
      complete: () => (completed = true),
    });
  };

  beforeEach(async () => {
    jest.useFakeTimers();
    received = [];
    completed = false;
    const moduleRef = await Test.createTestingModule({
      providers: [
        SampleHubService,
        SampleStreamService,
        {
          provide: samplerConfig.KEY,
          useValue: { hostName: 'web-1', intervalMs: 500, procfs: '/proc', sysfs: '/sys' },
        },
        { provide: streamConfig.KEY, useValue: { heartbeatMs: HEARTBEAT_MS } },
      ],
    }).compile();
    hub = moduleRef.get(SampleHubService);
    streams = moduleRef.get(SampleStreamService);
  });

  afterEach(() => {
    subscription?.unsubscribe();
    jest.useRealTimers();
  });

  it('should send meta then the latest sample at once when a client subscribes', () => {
    const latest = hub.publish(READING);

    subscribe(() => streams.open(GroupSelection.of(['cpu']), { groups: ['cpu'] }));

    expect(received).toHaveLength(2);
    expect(received[0]).toMatchObject({ type: 'meta', retry: RETRY_MS, id: String(latest.id - 1) });
    expect(JSON.parse(received[0]!.data as string)).toEqual({
      host: 'web-1',
      intervalMs: 500,
      heartbeatMs: HEARTBEAT_MS,
      groups: ['cpu'],
    });
    expect(received[1]).toMatchObject({ type: 'sample', id: String(latest.id) });
    expect(JSON.parse(received[1]!.data as string)).not.toHaveProperty('memory');
  });

  it('should send each new sample with its hub id when samples are published', () => {
    hub.publish(READING);
    subscribe(() => streams.open(GroupSelection.ALL, { groups: ['cpu', 'memory'] }));

    const next = hub.publish(READING);

    expect(received.at(-1)).toBe(next.frame(GroupSelection.ALL));
  });

  it('should send unnamed {cpu, ram} events without meta when opened for the demo', () => {
    hub.publish(READING);

    subscribe(() => streams.open(DEMO_PROJECTION));

    expect(received).toHaveLength(1);
    expect(received[0]!.type).toBeUndefined();
    expect(JSON.parse(received[0]!.data as string)).toEqual({ cpu: 30, ram: 25 });
  });

  it('should send a ping comment when nothing else went out for the heartbeat interval', async () => {
    hub.publish(READING);
    subscribe(() => streams.open(GroupSelection.ALL));
    received = [];

    await jest.advanceTimersByTimeAsync(HEARTBEAT_MS - 300);
    hub.publish(READING); // resets the silence
    await jest.advanceTimersByTimeAsync(HEARTBEAT_MS - 300);

    expect(received.map((frame) => frame.comment)).toEqual([undefined]);

    await jest.advanceTimersByTimeAsync(HEARTBEAT_MS);

    expect(received.map((frame) => frame.comment)).toEqual([undefined, 'ping']);
  });

  it('should leave no subscription or timer behind when the client goes away', () => {
    subscribe(() => streams.open(GroupSelection.ALL));
    const first = subscription;
    subscribe(() => streams.open(DEMO_PROJECTION));
    expect(streams.subscribers).toBe(2);
    expect(jest.getTimerCount()).toBe(1); // one shared heartbeat timer

    first?.unsubscribe();
    subscription?.unsubscribe();

    expect(streams.subscribers).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
    hub.publish(READING);
    expect(received).toHaveLength(0);
  });

  it('should complete every open stream when the application shuts down', () => {
    subscribe(() => streams.open(GroupSelection.ALL));

    hub.beforeApplicationShutdown();

    expect(completed).toBe(true);
    expect(streams.subscribers).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
  });
});
