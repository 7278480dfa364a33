import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { config } from 'rxjs';
import { ErrorCode } from '../common/error-code.js';
import { streamConfig } from '../config/stream.config.js';
import { sampleReading } from '../../test/helpers/readings.js';
import type { AlertChange } from './alert-change.js';
import { GroupSelection } from './group-selection.js';
import type { SampleProjection } from './sample-projection.js';
import { SampleEvent } from './sample-event.js';
import { SampleHubService } from './sample-hub.service.js';
import { hubRetaining } from '../../test/helpers/hubs.js';

const READING = sampleReading();

const alert = (severity: AlertChange['severity'], mount = '/'): AlertChange => ({
  rule: 'disk-full',
  metric: 'disks[].usage',
  severity,
  value: 90,
  threshold: 85,
  since: '2026-11-24T11:00:00.000Z',
  host: 'web-1',
  labels: { mount },
});

describe('SampleHubService', () => {
  let hub: SampleHubService;

  beforeEach(async () => {
    const moduleRef = await Test.createTestingModule({
      providers: [SampleHubService, { provide: streamConfig.KEY, useValue: { history: 3 } }],
    }).compile();
    hub = moduleRef.get(SampleHubService);
  });

  it('should number samples one after another when they are published', () => {
    const first = hub.publish(READING);
    const second = hub.publish(READING);

    expect(second.id).toBe(first.id + 1);
    expect(second.sample.id).toBe(second.id);
    expect(hub.latest).toBe(second);
    expect(hub.newestId).toBe(second.id);
  });

  it('should start the sequence above any id of an earlier run when it is created', () => {
    const before = Date.now();
    const restarted = hubRetaining(3);

    const { id } = restarted.publish(READING);

    expect(id).toBeGreaterThan(before);
  });

  it('should push each sample to every live subscriber when it is published', () => {
    const seenByA: number[] = [];
    const seenByB: number[] = [];
    hub.events.subscribe((event) => seenByA.push(event.id));
    hub.events.subscribe((event) => seenByB.push(event.id));

    const { id } = hub.publish(READING);

    expect(seenByA).toEqual([id]);
    expect(seenByB).toEqual([id]);
  });

  it('should serialize a projection once when many readers ask for it', () => {
    const project = jest.fn(() => ({ cpu: 1 }));
    const projection: SampleProjection = { key: 'counting', eventType: 'x', project };
    const event = hub.publish(READING);

    const frames = [event.frame(projection), event.frame(projection), event.frame(projection)];

    expect(project).toHaveBeenCalledTimes(1);
    expect(frames[1]).toBe(frames[0]);
    expect(frames[0]).toEqual({
      id: String(event.id),
      type: 'x',
      data: '{"cpu":1}',
      sse: Buffer.from(`event: x\nid: ${event.id}\ndata: {"cpu":1}\n\n`),
    });
  });

  it('should put only the chosen groups in a frame when groups are selected', () => {
    const event = hub.publish(READING);

    const memoryOnly = JSON.parse(event.frame(GroupSelection.of(['memory'])).data) as object;
    const all = JSON.parse(event.frame(GroupSelection.ALL).data) as object;

    expect(memoryOnly).toEqual({
      id: event.id,
      timestamp: READING.timestamp,
      host: 'web-1',
      memory: READING.memory,
    });
    expect(all).toEqual({ id: event.id, ...READING });
    expect(Object.keys(all)[0]).toBe('id');
  });

  it('should retain the newest VITALS_HISTORY events when more are published', () => {
    const events = [1, 2, 3, 4, 5].map(() => hub.publish(READING));

    expect(hub.retained).toEqual({ oldest: events[2]!.id, newest: events[4]!.id });
    expect(hub.next(events[0]!.id)).toBe(events[2]);
    expect(hub.next(events[3]!.id)).toBe(events[4]);
    expect(hub.next(events[4]!.id)).toBeUndefined();
  });

  it('should page history after an id or return the newest when no id is given', () => {
    const events = [1, 2, 3].map(() => hub.publish(READING));

    expect(hub.history(events[0]!.id, 10)).toEqual([events[1], events[2]]);
    expect(hub.history(events[0]!.id, 1)).toEqual([events[1]]);
    expect(hub.history(undefined, 2)).toEqual([events[1], events[2]]);
  });

  it('should number samples by their index when counting for every=', () => {
    const [a, b] = [hub.publish(READING), hub.publish(READING)];

    expect(b.sampleIndex).toBe(a.sampleIndex + 1);
  });

  it('should report the age of the latest sample when asked', () => {
    expect(hub.latestAgeMs()).toBeUndefined();

    hub.publish(READING);

    expect(hub.latestAgeMs()).toBeGreaterThanOrEqual(0);
  });

  it('should complete the event stream when the application shuts down', () => {
    let completed = false;
    hub.events.subscribe({ complete: () => (completed = true) });

    hub.beforeApplicationShutdown();

    expect(completed).toBe(true);
  });

  it('should number alerts in the same sequence as samples and page history by samples only', () => {
    hub = hubRetaining(10);
    const first = hub.publish(READING);
    const raised = hub.publishAlert(alert('warning'));
    const second = hub.publish(READING);

    expect([raised.id, second.id]).toEqual([first.id + 1, first.id + 2]);
    expect(hub.next(first.id)).toBe(raised);
    expect(hub.latest).toBe(second);
    expect(hub.history(undefined, 2)).toEqual([first, second]);
    expect(hub.history(first.id, 10)).toEqual([second]);
    expect(raised.frame().sse.toString()).toBe(
      `event: alert\nid: ${raised.id}\ndata: ${JSON.stringify(alert('warning'))}\n\n`,
    );
  });

  it('should keep the latest change of each alert until it resolves', () => {
    hub.publishAlert(alert('warning', '/'));
    hub.publishAlert(alert('warning', '/data'));
    const critical = hub.publishAlert(alert('critical', '/'));
    hub.publishAlert(alert('resolved', '/data'));

    expect(hub.activeAlerts).toEqual([critical]);
  });

  it('should hand an event published by a subscriber to everyone after the current one', () => {
    const seenByFirst: string[] = [];
    const seenByLast: string[] = [];
    hub.events.subscribe((event) => {
      seenByFirst.push(event.kind);
      if (event.kind === 'sample') {
        hub.publishAlert(alert('warning'));
      }
    });
    hub.events.subscribe((event) => seenByLast.push(event.kind));

    hub.publish(READING);

    expect(seenByFirst).toEqual(['sample', 'alert']);
    expect(seenByLast).toEqual(['sample', 'alert']);
  });

  it('should contain, count and log (rate-limited) an exception when a subscriber throws', () => {
    // RxJS hands a subscriber's exception here, on a timer, where it would end the process.
    const unhandled = jest.fn();
    config.onUnhandledError = unhandled;
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const seenByOthers: number[] = [];
    hub.subscribe('broken consumer', () => {
      throw new Error('boom');
    });
    hub.subscribe('healthy consumer', (event) => seenByOthers.push(event.id));

    const published = [hub.publish(READING), hub.publish(READING), hub.publish(READING)];

    expect(unhandled).not.toHaveBeenCalled();
    expect(seenByOthers).toEqual(published.map((event) => event.id));
    expect(hub.subscriberErrors).toBe(3);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith(
      expect.stringMatching(/broken consumer failed on event \d+.*boom/s),
    );
    config.onUnhandledError = null;
  });

  it('should tell every stream of lost events with a gap event in the id sequence when publishGap is called', () => {
    const seen: string[] = [];
    hub.subscribe('test', (event) => seen.push(event.kind));
    const before = hub.publish(READING);

    const gap = hub.publishGap('1795524273660-0', '1795524273990-0');

    expect(seen).toEqual(['sample', 'gap']);
    expect(gap.id).toBe(before.id + 1);
    expect(gap.eventId).toBe('1795524273989-18446744073709551615');
    expect(gap.frame().sse.toString()).toBe(
      'event: gap\nid: 1795524273989-18446744073709551615\n' +
        'data: {"from":"1795524273660-0","to":"1795524273990-0"}\n\n',
    );
    expect(hub.history(undefined, 10)).toEqual([before]);
  });
});

describe('SampleHubService on a gateway (events from Redis)', () => {
  let hub: SampleHubService;
  const sample = (host: string, timestamp = '2026-11-24T11:00:00.000Z') => ({
    id: 0,
    ...sampleReading(),
    host,
    timestamp,
  });
  const ingest = (eventId: string, host = 'web-1') =>
    hub.ingest({ eventId, kind: 'sample', sample: sample(host) });

  beforeEach(async () => {
    const moduleRef = await Test.createTestingModule({
      providers: [
        SampleHubService,
        { provide: streamConfig.KEY, useValue: { history: 3, remoteIds: true } },
      ],
    }).compile();
    hub = moduleRef.get(SampleHubService);
  });

  it('should stream remote events under their Redis ids and skip one it already took', () => {
    const first = ingest('1000-0')!;
    const again = ingest('1000-0');
    const older = ingest('999-5');
    const second = ingest('1000-1', 'web-2')!;

    expect(again).toBeUndefined();
    expect(older).toBeUndefined();
    expect(second.id).toBe(first.id + 1);
    expect(first.frame(GroupSelection.of(['cpu']))).toMatchObject({
      id: '1000-0',
      data: expect.stringContaining('"id":"1000-0"') as string,
    });
    expect(hub.retained).toEqual({ oldest: '1000-0', newest: '1000-1' });
  });

  it('should keep the newest sample of each host and list the hosts by name', () => {
    ingest('1000-0', 'web-2');
    ingest('1001-0', 'web-1');
    ingest('1002-0', 'web-2');

    expect(hub.hosts().map(({ name, lastId }) => ({ name, lastId }))).toEqual([
      { name: 'web-1', lastId: '1001-0' },
      { name: 'web-2', lastId: '1002-0' },
    ]);
    expect(hub.latestOf(new Set(['web-1']))?.eventId).toBe('1001-0');
    expect(hub.latestOf(new Set(['web-1', 'web-2']))?.eventId).toBe('1002-0');
    expect(hub.latestOf(new Set(['web-9']))).toBeUndefined();
  });

  it('should count every= per host, so interleaved hosts each keep their own cadence', () => {
    const indexes = ['web-1', 'web-2', 'web-1', 'web-2', 'web-1'].map(
      (host, i) =>
        (
          hub.ingest({
            eventId: `${1000 + i}-0`,
            kind: 'sample',
            sample: sample(host),
          }) as SampleEvent
        ).sampleIndex,
    );

    expect(indexes).toEqual([0, 0, 1, 1, 2]);
  });

  it('should resume a client at the retained event it names, or just before the one after it', () => {
    const [a, b] = [ingest('1000-0')!, ingest('1005-0')!, ingest('1010-0')!];

    expect(hub.resolve('1000-0', 'Last-Event-ID')).toEqual({ after: a.id });
    expect(hub.resolve('1007-3', 'Last-Event-ID')).toEqual({ after: b.id });
  });

  it('should send a client from before memory to the archive, and skip what it has when it comes from a replica ahead', () => {
    const oldest = ingest('1000-0')!;
    const newest = ingest('1005-0')!;

    expect(hub.resolve('990-0', 'Last-Event-ID')).toEqual({
      after: oldest.id - 1,
      archiveAfter: '990-0',
    });
    expect(hub.resolve('1009-2', 'Last-Event-ID')).toEqual({
      after: newest.id,
      skipThrough: { text: '1009-2', ms: 1009, seq: 2n },
    });
  });

  it('should refuse an id from further ahead than any Redis could have given out yet', () => {
    ingest('1000-0');
    const farAhead = `${Date.now() + 3_600_000}-0`;

    expect(() => hub.resolve(farAhead, 'Last-Event-ID')).toThrow(
      `Last-Event-ID ${farAhead} is ahead of the stream`,
    );
  });

  it('should start a new client live, without a gap, when its host last reported before memory', () => {
    ingest('1000-0', 'web-2');
    ['1001-0', '1002-0', '1003-0'].forEach((id) => ingest(id));

    expect(hub.startForNewClient(new Set(['web-2']))).toBe(hub.newestId);
    expect(hub.startForNewClient(new Set(['web-1']))).toBe(hub.newestId - 1);
  });

  it('should refuse, with INVALID_QUERY, an id that is not a Redis Stream id', () => {
    ingest('1000-0');

    expect(() => hub.resolve('1000', 'lastEventId')).toThrow(
      expect.objectContaining({
        code: ErrorCode.INVALID_QUERY,
        message: expect.stringMatching(/^lastEventId must be an event id of this stream/) as string,
      }) as Error,
    );
  });

  it('should refuse a Redis Stream id on a standalone hub, whose ids are its own integers', () => {
    const local = hubRetaining(3);
    const { id } = local.publish(sampleReading());

    expect(local.resolve(String(id), 'since')).toEqual({ after: id });
    expect(() => local.resolve(`${id}-0`, 'since')).toThrow(/since must be an event id/);
    expect(() => local.resolve(String(id + 1), 'since')).toThrow(/ahead of the newest event/);
  });
});

describe('SampleHubService hosts', () => {
  it('should tell the streams once, with a hosts frame without an id, when a host appears or goes', () => {
    const hub = hubRetaining(10, false, 1);
    const frames: string[] = [];
    hub.hostNotices.subscribe(({ sse }) => frames.push(sse.toString()));
    hub.publish({ ...READING, host: 'web-1' });

    hub.sweepHosts();
    hub.sweepHosts();

    expect(frames).toHaveLength(1);
    expect(frames[0]).toMatch(
      /^event: hosts\ndata: \{"hosts":\[\{"name":"web-1",[^\n]*"stale":false\}\]\}\n\n$/,
    );
  });

  it('should forget a host silent past the TTL, with its active alerts, and say so', async () => {
    const hub = hubRetaining(10, false, 50);
    const lists: string[][] = [];
    hub.hostNotices.subscribe(({ hosts }) => lists.push(hosts.map((h) => h.name)));
    hub.publish({ ...READING, host: 'web-1' });
    hub.publishAlert(alert('critical'));
    hub.sweepHosts();

    await new Promise((resolve) => setTimeout(resolve, 60));
    const forgotten = hub.sweepHosts();

    expect(forgotten).toEqual(['web-1']);
    expect(hub.hosts()).toEqual([]);
    expect(hub.activeAlerts).toEqual([]);
    expect([...hub.latestSamples()]).toEqual([]);
    expect(lists).toEqual([['web-1'], []]);
  });
});
