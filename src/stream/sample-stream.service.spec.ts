import { jest } from '@jest/globals';
import {
  BadRequestException,
  type MessageEvent,
  ServiceUnavailableException,
} from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Subscription } from 'rxjs';
import { FakeOutput } from '../../test/helpers/fake-output.js';
import { sampleReading } from '../../test/helpers/readings.js';
import { samplerConfig } from '../config/sampler.config.js';
import { streamConfig } from '../config/stream.config.js';
import { DEMO_PROJECTION } from './demo-projection.js';
import { GroupSelection } from './group-selection.js';
import { SampleHubService } from './sample-hub.service.js';
import { RETRY_MS, SampleStreamService, type StreamRequest } from './sample-stream.service.js';

const HEARTBEAT_MS = 1000;
const READING = sampleReading();
const ALL: StreamRequest = { projection: GroupSelection.ALL, groups: ['cpu', 'memory'] };

describe('SampleStreamService', () => {
  let hub: SampleHubService;
  let streams: SampleStreamService;
  let received: MessageEvent[];
  let subscriptions: Subscription[];
  let completed: boolean;

  const subscribe = (request: StreamRequest): Subscription => {
    const subscription = streams.open(request, new FakeOutput()).subscribe({
      next: (frame) => received.push(frame),
      complete: () => (completed = true),
    });
    subscriptions.push(subscription);
    return subscription;
  };
  const data = (frame: MessageEvent | undefined): Record<string, unknown> =>
    JSON.parse(frame?.data as string) as Record<string, unknown>;

  beforeEach(async () => {
    jest.useFakeTimers();
    received = [];
    subscriptions = [];
    completed = false;
    const moduleRef = await Test.createTestingModule({
      providers: [
        SampleHubService,
        SampleStreamService,
        {
          provide: samplerConfig.KEY,
          useValue: { hostName: 'web-1', intervalMs: 500, procfs: '/proc', sysfs: '/sys' },
        },
        {
          provide: streamConfig.KEY,
          useValue: {
            heartbeatMs: HEARTBEAT_MS,
            history: 100,
            maxSubscribers: 2,
            clientBufferBytes: 1 << 20,
          },
        },
      ],
    }).compile();
    hub = moduleRef.get(SampleHubService);
    streams = moduleRef.get(SampleStreamService);
  });

  afterEach(() => {
    subscriptions.forEach((subscription) => subscription.unsubscribe());
    jest.useRealTimers();
  });

  it('should send meta then the latest sample at once when a client subscribes', () => {
    hub.publish(READING);
    const latest = hub.publish(READING);

    subscribe({ projection: GroupSelection.of(['cpu']), groups: ['cpu'] });

    expect(received).toHaveLength(2);
    expect(received[0]).toMatchObject({ type: 'meta', retry: RETRY_MS, id: String(latest.id - 1) });
    expect(data(received[0])).toEqual({
      host: 'web-1',
      intervalMs: 500,
      every: 500,
      heartbeatMs: HEARTBEAT_MS,
      groups: ['cpu'],
      replay: true,
      retained: { oldest: latest.id - 1, newest: latest.id },
    });
    expect(received[1]).toMatchObject({ type: 'sample', id: String(latest.id) });
    expect(data(received[1])).not.toHaveProperty('memory');
  });

  it('should replay what came after Last-Event-ID when a client resumes', () => {
    const [a, b, c] = [hub.publish(READING), hub.publish(READING), hub.publish(READING)];

    subscribe({ ...ALL, lastEventId: a.id });

    expect(received.map((frame) => frame.id)).toEqual([a.id, b.id, c.id].map(String));
    expect(received[0]!.type).toBe('meta');
  });

  it('should send only live events when replay is false', () => {
    hub.publish(READING);

    subscribe({ ...ALL, replay: false });
    const next = hub.publish(READING);

    expect(received.map((frame) => frame.type)).toEqual(['meta', 'sample']);
    expect(received[1]!.id).toBe(String(next.id));
  });

  it('should reject with INVALID_QUERY when Last-Event-ID is ahead of the stream', () => {
    hub.publish(READING);

    expect(() => streams.open({ ...ALL, lastEventId: hub.newestId + 1 }, new FakeOutput())).toThrow(
      BadRequestException,
    );
  });

  it('should reject with INVALID_QUERY when every is not a multiple of the interval', () => {
    expect(() => streams.open({ ...ALL, every: 750 }, new FakeOutput())).toThrow(
      /every must be a multiple of the sampling interval \(500 ms\)/,
    );
  });

  it('should answer TOO_MANY_SUBSCRIBERS when the cap is reached', () => {
    subscribe(ALL);
    subscribe(ALL);

    let error: unknown;
    try {
      streams.open(ALL, new FakeOutput());
    } catch (caught) {
      error = caught;
    }

    expect(error).toBeInstanceOf(ServiceUnavailableException);
    expect((error as ServiceUnavailableException).getResponse()).toMatchObject({
      code: 'TOO_MANY_SUBSCRIBERS',
    });
    expect(streams.stats.rejected).toBe(1);
  });

  it('should send unnamed {cpu, ram} events without meta when opened for the demo', () => {
    hub.publish(READING);

    subscribe({ projection: DEMO_PROJECTION });

    expect(received).toHaveLength(1);
    expect(received[0]!.type).toBeUndefined();
    expect(data(received[0])).toEqual({ cpu: 30, ram: 25 });
  });

  it('should send a ping comment when nothing else went out for the heartbeat interval', async () => {
    hub.publish(READING);
    subscribe(ALL);
    received = [];

    await jest.advanceTimersByTimeAsync(HEARTBEAT_MS - 300);
    hub.publish(READING); // resets the silence
    await jest.advanceTimersByTimeAsync(HEARTBEAT_MS - 300);

    expect(received.map((frame) => frame.comment)).toEqual([undefined]);

    await jest.advanceTimersByTimeAsync(HEARTBEAT_MS);

    expect(received.map((frame) => frame.comment)).toEqual([undefined, 'ping']);
  });

  it('should leave no subscription or timer behind when the client goes away', () => {
    const first = subscribe(ALL);
    const second = subscribe({ projection: DEMO_PROJECTION });
    expect(streams.subscribers).toBe(2);
    expect(jest.getTimerCount()).toBe(1); // one shared heartbeat timer

    first.unsubscribe();
    second.unsubscribe();

    expect(streams.subscribers).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
    received = [];
    hub.publish(READING);
    expect(received).toHaveLength(0);
  });

  it('should complete every open stream when the application shuts down', () => {
    subscribe(ALL);

    hub.beforeApplicationShutdown();

    expect(completed).toBe(true);
    expect(streams.subscribers).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
  });
});
