import { jest } from '@jest/globals';
import { FakeOutput } from '../../test/helpers/fake-output.js';
import { alertChange, remoteSample, sampleReading } from '../../test/helpers/readings.js';
import { sampleIds } from '../../test/helpers/sse-connection.js';
import { GroupSelection } from '../hub/group-selection.js';
import type { SampleHubService } from '../hub/sample-hub.service.js';
import { hubRetaining } from '../../test/helpers/hubs.js';
import { openSession, sampleFrameIds } from '../../test/helpers/sessions.js';
import { type SessionOptions, StreamSession } from './stream-session.js';
import { formatSse } from '../hub/sse-format.js';

const READING = sampleReading();

describe('StreamSession', () => {
  let hub: SampleHubService;
  let output: FakeOutput;
  let dropped: jest.Mock<() => void>;
  let session: StreamSession;

  const open = (options: Partial<SessionOptions>): StreamSession =>
    (session = openSession(hub, output, dropped, options));
  const ids = () => sampleIds(output.frames);
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  beforeEach(() => {
    hub = hubRetaining(100);
    output = new FakeOutput();
    dropped = jest.fn();
  });

  afterEach(() => {
    session.close();
  });

  it('should replay retained events after the cursor, then go live without gap or duplicate', () => {
    const published = [1, 2, 3].map(() => hub.publish(READING));

    open({ after: published[0]!.id });
    const next = hub.publish(READING);

    expect(ids()).toEqual([published[1]!.id, published[2]!.id, next.id]);
  });

  it('should write each event as the text the hub serialized once for everybody', () => {
    open({});

    const event = hub.publish(READING);

    expect(output.text).toBe(event.frame(GroupSelection.ALL).sse.toString());
    expect(output.frames[0]).toEqual({
      event: 'sample',
      id: String(event.id),
      data: JSON.stringify({ id: event.id, ...READING }),
    });
  });

  it('should send prelude frames before any event when opened', () => {
    hub.publish(READING);

    open({ after: hub.newestId - 1, prelude: [formatSse({ event: 'meta', id: '0', data: '{}' })] });

    expect(output.frames.map((frame) => frame.event)).toEqual(['meta', 'sample']);
  });

  it('should send a gap frame then the oldest retained when the cursor has left the ring', () => {
    hub = hubRetaining(2);
    const before = hub.newestId;
    const published = [1, 2, 3, 4].map(() => hub.publish(READING));

    open({ after: before, afterEventId: String(before) });

    expect(output.frames[0]).toEqual({
      event: 'gap',
      id: String(published[2]!.id - 1),
      data: JSON.stringify({ from: before, to: published[2]!.id }),
    });
    expect(ids()).toEqual([published[2]!.id, published[3]!.id]);
  });

  it('should deliver only every n-th sample when everyN is set', () => {
    open({ everyN: 3 });
    const published = [1, 2, 3, 4, 5, 6].map(() => hub.publish(READING));

    expect(ids()).toEqual(
      published.filter((event) => event.sampleIndex % 3 === 0).map((event) => event.id),
    );
    expect(ids()).toHaveLength(2);
  });

  it('should hold nothing while the response is backed up and catch up in order when it drains', async () => {
    open({});
    const first = hub.publish(READING);
    output.writableNeedDrain = true;

    const missed = [1, 2, 3].map(() => hub.publish(READING));
    expect(ids()).toEqual([first.id]);

    output.drain();
    await settle();

    expect(ids()).toEqual([first.id, ...missed.map((event) => event.id)]);
    const live = hub.publish(READING);
    expect(ids().at(-1)).toBe(live.id);
    expect(dropped).not.toHaveBeenCalled();
  });

  describe('hosts notices', () => {
    const notice = (names: string[]) =>
      Buffer.from(formatSse({ event: 'hosts', data: JSON.stringify({ hosts: names }) }));
    const notices = () => output.frames.filter((frame) => frame.event === 'hosts');

    it('should write a notice without an id at once when the client keeps up', () => {
      open({});
      const sample = hub.publish(READING);

      session.notify(notice(['a']));

      expect(output.frames.map((f) => [f.event, f.id])).toEqual([
        ['sample', String(sample.id)],
        ['hosts', undefined],
      ]);
    });

    it('should hold only the newest notice while the client is behind, and send it once caught up', async () => {
      open({});
      hub.publish(READING);
      output.writableNeedDrain = true;
      const missed = hub.publish(READING);

      session.notify(notice(['a']));
      session.notify(notice(['a', 'b']));
      const heldBack = notices().length;
      output.drain();
      await settle();

      expect(heldBack).toBe(0);
      expect(notices().map((f) => f.data)).toEqual([JSON.stringify({ hosts: ['a', 'b'] })]);
      // After the events it was behind on: they came first.
      expect(output.frames.at(-2)?.id).toBe(String(missed.id));
    });

    it('should send no notice when the stream does not take them (the demo)', () => {
      open({ notices: false });

      session.notify(notice(['a']));

      expect(notices()).toEqual([]);
    });
  });

  it('should disconnect and count a client when it falls further behind than the bound', () => {
    const size = hub.publish(READING).frame(GroupSelection.ALL).sse.length;
    open({ maxLagBytes: size * 2.5 });
    output.writableNeedDrain = true;

    hub.publish(READING);
    hub.publish(READING);
    expect(dropped).not.toHaveBeenCalled();
    hub.publish(READING);

    expect(dropped).toHaveBeenCalledTimes(1);
    expect(output.destroyed).toBe(true);
    expect(output.listenerCount('drain')).toBe(0);
  });

  it('should yield between slices when replaying a long history', async () => {
    hub = hubRetaining(1000);
    const before = hub.newestId;
    const published = Array.from({ length: 1000 }, () => hub.publish(READING));

    open({ after: before });
    const firstSlice = ids().length;
    while (ids().length < published.length) {
      await settle();
    }

    expect(firstSlice).toBeGreaterThan(0);
    expect(firstSlice).toBeLessThan(published.length);
    expect(ids()).toEqual(published.map((event) => event.id));
  });

  it('should ping only when idle long enough and keeping up', () => {
    open({});

    session.ping(1000, session.lastSentAt + 999);
    session.ping(1000, session.lastSentAt + 1000);
    output.writableNeedDrain = true;
    hub.publish(READING);
    session.ping(1000, Date.now() + 5000);

    expect(output.frames.filter((frame) => frame.comment === 'ping')).toHaveLength(1);
  });

  describe('with alerts', () => {
    const ALERT = alertChange();
    const kinds = () => output.frames.map((frame) => [frame.event, Number(frame.id)]);

    it('should deliver alerts live and on replay, in id order between samples, whatever every= says', () => {
      const before = hub.publish(READING);
      const missed = hub.publishAlert(ALERT);
      open({ after: before.id - 1, everyN: 3 });
      const skipped = hub.publish(READING);
      const live = hub.publishAlert({ ...ALERT, severity: 'resolved' });

      expect(kinds()).toEqual([
        ['sample', before.id],
        ['alert', missed.id],
        ['alert', live.id],
      ]);
      expect(skipped.sampleIndex % 3).not.toBe(0);
    });

    it('should leave alerts out when the session does not take them', () => {
      open({ alerts: false });
      const sample = hub.publish(READING);
      hub.publishAlert(ALERT);
      const next = hub.publish(READING);

      expect(kinds()).toEqual([
        ['sample', sample.id],
        ['sample', next.id],
      ]);
    });
  });

  describe('on a gateway', () => {
    const sampleOf = remoteSample;
    const ingest = (eventId: string, host = 'web-1') => hub.ingest(sampleOf(eventId, host))!;
    const wireIds = () => sampleFrameIds(output);

    beforeEach(() => {
      hub = hubRetaining(100, true);
    });

    it("should deliver only the chosen hosts' events", () => {
      open({ hosts: new Set(['web-2']) });
      ingest('1-0', 'web-1');
      ingest('2-0', 'web-2');
      ingest('3-0', 'web-1');
      ingest('4-0', 'web-2');

      expect(wireIds()).toEqual(['2-0', '4-0']);
    });

    it('should skip what a client resuming from a replica ahead already has', () => {
      ingest('1-0');
      const { after, skipThrough } = hub.resolve('3-0', 'Last-Event-ID');
      open({ after, skipThrough });
      ['2-0', '3-0', '4-0', '5-0'].forEach((id) => ingest(id));

      expect(wireIds()).toEqual(['4-0', '5-0']);
    });

    it('should not send twice what a client resuming from a replica ahead has when its socket is backed up', async () => {
      ingest('1-0');
      const { after, skipThrough } = hub.resolve('3-0', 'Last-Event-ID');
      open({ after, skipThrough });
      output.writableNeedDrain = true;

      // This replica catches up to the id while the client's socket is full.
      ['2-0', '3-0', '4-0'].forEach((id) => ingest(id));
      output.drain();
      await settle();
      ingest('5-0');

      expect(wireIds()).toEqual(['4-0', '5-0']);
    });
  });
});
