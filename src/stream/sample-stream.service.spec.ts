import { jest } from '@jest/globals';
import { Test } from '@nestjs/testing';
import { FakeResponse, fakeRequest } from '../../test/helpers/fake-response.js';
import { sampleReading } from '../../test/helpers/readings.js';
import { ErrorCode } from '../common/error-code.js';
import { samplerConfig } from '../config/sampler.config.js';
import { streamConfig } from '../config/stream.config.js';
import { DEMO_PROJECTION } from '../hub/demo-projection.js';
import { GroupSelection } from '../hub/group-selection.js';
import { ArchivePort } from '../hub/archive-port.js';
import { SampleHubService } from '../hub/sample-hub.service.js';
import { RETRY_MS, SampleStreamService } from './sample-stream.service.js';
import { StreamAdmission } from './stream-admission.js';
import { StreamChannel } from './stream-channel.js';
import { StreamPrelude } from './stream-prelude.js';
import { StreamStart } from './stream-start.js';
import type { StreamRequest } from './stream-request.js';

const HEARTBEAT_MS = 1000;
const READING = sampleReading();
const ALL: StreamRequest = { projection: GroupSelection.ALL, groups: ['cpu', 'memory'] };

describe('SampleStreamService', () => {
  let hub: SampleHubService;
  let streams: SampleStreamService;
  let responses: FakeResponse[];

  const subscribe = (request: StreamRequest, method = 'GET'): FakeResponse => {
    const response = new FakeResponse();
    streams.open(request, fakeRequest(method), response.asResponse());
    responses.push(response);
    return response;
  };
  const data = (text: string | undefined): Record<string, unknown> =>
    JSON.parse(text ?? 'null') as Record<string, unknown>;

  beforeEach(async () => {
    jest.useFakeTimers();
    responses = [];
    const moduleRef = await Test.createTestingModule({
      providers: [
        SampleHubService,
        ArchivePort,
        StreamChannel,
        StreamAdmission,
        StreamStart,
        StreamPrelude,
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
            maxSubscribers: 3,
            maxStreamsPerIp: 2,
            clientBufferBytes: 1 << 20,
          },
        },
      ],
    }).compile();
    hub = moduleRef.get(SampleHubService);
    streams = moduleRef.get(SampleStreamService);
  });

  afterEach(() => {
    responses.forEach((response) => response.disconnect());
    jest.useRealTimers();
  });

  it('should answer with event-stream headers, meta, then the latest sample at once', () => {
    hub.publish(READING);
    const latest = hub.publish(READING);

    const response = subscribe({ projection: GroupSelection.of(['cpu']), groups: ['cpu'] });

    expect(response.status).toBe(200);
    expect(response.headers).toMatchObject({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-store, no-transform',
      'X-Accel-Buffering': 'no',
    });
    const [meta, sample] = response.frames;
    expect(response.frames).toHaveLength(2);
    expect(meta).toMatchObject({ event: 'meta', retry: RETRY_MS, id: String(latest.id - 1) });
    expect(data(meta?.data)).toEqual({
      host: 'web-1',
      intervalMs: 500,
      every: 500,
      heartbeatMs: HEARTBEAT_MS,
      groups: ['cpu'],
      hosts: null,
      replay: true,
      alerts: true,
      retained: { oldest: latest.id - 1, newest: latest.id },
    });
    expect(sample).toMatchObject({ event: 'sample', id: String(latest.id) });
    expect(data(sample?.data)).not.toHaveProperty('memory');
  });

  it('should replay what came after Last-Event-ID when a client resumes', () => {
    const [a, b, c] = [hub.publish(READING), hub.publish(READING), hub.publish(READING)];

    const response = subscribe({ ...ALL, lastEventId: String(a.id) });

    expect(response.frames.map((frame) => frame.id)).toEqual([a.id, b.id, c.id].map(String));
    expect(response.frames[0]!.event).toBe('meta');
  });

  it('should send only live events when replay is false', () => {
    hub.publish(READING);

    const response = subscribe({ ...ALL, replay: false });
    const next = hub.publish(READING);

    expect(response.frames.map((frame) => frame.event)).toEqual(['meta', 'sample']);
    expect(response.frames[1]!.id).toBe(String(next.id));
  });

  describe('with an alert active', () => {
    const raise = (severity: 'warning' | 'resolved', rule = 'high-memory') =>
      hub.publishAlert({
        rule,
        metric: 'memory.usage',
        severity,
        value: 90,
        threshold: 85,
        since: '2026-11-24T11:00:00.000Z',
        host: 'web-1',
        labels: {},
      });

    it('should send a new client the active alerts without ids between meta and the sample', () => {
      const active = raise('warning');
      raise('warning', 'gone');
      raise('resolved', 'gone');
      const latest = hub.publish(READING);

      const response = subscribe(ALL);

      expect(response.frames.map((frame) => [frame.event, frame.id])).toEqual([
        ['meta', String(latest.id - 1)],
        ['alert', undefined],
        ['sample', String(latest.id)],
      ]);
      expect(response.frames[1]!.data).toBe(active.frame().data);
    });

    it('should not repeat active alerts to a resuming client or with alerts=false', () => {
      const first = hub.publish(READING);
      const active = raise('warning');
      hub.publish(READING);

      const resuming = subscribe({ ...ALL, lastEventId: String(first.id) });
      const without = subscribe({ ...ALL, alerts: false });

      expect(resuming.frames.map((frame) => frame.event)).toEqual(['meta', 'alert', 'sample']);
      expect(resuming.frames[1]!.id).toBe(String(active.id));
      expect(without.frames.map((frame) => frame.event)).toEqual(['meta', 'sample']);
    });
  });

  it('should end a HEAD request after the headers', () => {
    const response = subscribe(ALL, 'HEAD');

    expect(response.status).toBe(200);
    expect(response.ended).toBe(true);
    expect(response.text).toBe('');
    expect(streams.subscribers).toBe(0);
  });

  it('should reject with INVALID_QUERY before writing when Last-Event-ID is ahead of the stream', () => {
    hub.publish(READING);
    const response = new FakeResponse();

    expect(() =>
      streams.open(
        { ...ALL, lastEventId: String(hub.newestId + 1) },
        fakeRequest(),
        response.asResponse(),
      ),
    ).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_QUERY }) as Error);
    expect(response.status).toBeUndefined();
  });

  it('should reject with INVALID_QUERY when every is not a multiple of the interval', () => {
    expect(() => subscribe({ ...ALL, every: 750 })).toThrow(
      /every must be a multiple of the sampling interval \(500 ms\)/,
    );
  });

  it('should answer 429 TOO_MANY_STREAMS past the per-address cap, and free a slot on close', () => {
    const [first] = [subscribe({ ...ALL, clientIp: 'a' }), subscribe({ ...ALL, clientIp: 'a' })];

    expect(() => subscribe({ ...ALL, clientIp: 'a' })).toThrow(
      expect.objectContaining({ code: ErrorCode.TOO_MANY_STREAMS }) as Error,
    );
    first.disconnect();
    subscribe({ ...ALL, clientIp: 'a' });
    expect(streams.subscribers).toBe(2);
    expect(streams.stats.rejected).toBe(1);
  });

  it('should send unnamed {cpu, ram} events without meta when opened for the demo', () => {
    hub.publish(READING);

    const response = subscribe({ projection: DEMO_PROJECTION });

    expect(response.frames).toHaveLength(1);
    expect(response.frames[0]!.event).toBeUndefined();
    expect(data(response.frames[0]!.data)).toEqual({ cpu: 30, ram: 25 });
  });
});
