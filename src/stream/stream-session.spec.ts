import { jest } from '@jest/globals';
import { FakeOutput } from '../../test/helpers/fake-output.js';
import { alertChange, sampleReading } from '../../test/helpers/readings.js';
import { sampleIds } from '../../test/helpers/sse-connection.js';
import { GroupSelection } from '../hub/group-selection.js';
import type { SampleHubService } from '../hub/sample-hub.service.js';
import { hubRetaining } from '../../test/helpers/hubs.js';
import { type SessionOptions, StreamSession } from './stream-session.js';
import { formatSse } from '../hub/sse-format.js';
import { ARCHIVE_PAGE, ArchiveCatchUp } from './archive-catch-up.js';
import type { EventArchive } from '../hub/event-archive.js';
import { compareEventIds, parseEventId } from '../hub/event-id.js';
import type { RemoteEvent } from '../hub/sample-hub.service.js';

const READING = sampleReading();

describe('StreamSession', () => {
  let hub: SampleHubService;
  let output: FakeOutput;
  let dropped: jest.Mock<() => void>;
  let session: StreamSession;

  const open = (options: Partial<SessionOptions>): StreamSession => {
    session = new StreamSession(
      hub,
      output,
      {
        projection: GroupSelection.ALL,
        everyN: 1,
        alerts: true,
        after: hub.newestId,
        prelude: [],
        maxLagBytes: 10_000,
        ...options,
      },
      dropped,
    );
    hub.events.subscribe((event) => session.onPublish(event));
    session.start();
    return session;
  };
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
    const sampleOf = (eventId: string, host = 'web-1') => ({
      eventId,
      kind: 'sample' as const,
      sample: { id: 0, ...READING, host },
    });
    const ingest = (eventId: string, host = 'web-1') => hub.ingest(sampleOf(eventId, host))!;
    const wireIds = () =>
      output.frames.filter((frame) => frame.event === 'sample').map((frame) => frame.id);

    /** An archive over a fixed list of entries, as the Redis Stream would answer. */
    class ListArchive implements EventArchive {
      reads = 0;
      /** Events in each page given, in order. */
      readonly pages: number[] = [];
      constructor(
        private readonly entries: RemoteEvent[],
        private readonly trimmedThrough?: string,
        private readonly failing = false,
      ) {}

      readAfter(afterId: string, beforeId: string | undefined, limit: number) {
        this.reads++;
        if (this.failing) {
          return Promise.reject(new Error('connection lost'));
        }
        const after = parseEventId(afterId)!;
        const events = this.entries
          .filter((entry) => compareEventIds(parseEventId(entry.eventId)!, after) > 0)
          .filter(
            (entry) =>
              beforeId === undefined ||
              compareEventIds(parseEventId(entry.eventId)!, parseEventId(beforeId)!) < 0,
          )
          .slice(0, limit + 1);
        const exhausted = events.length <= limit;
        events.splice(limit);
        this.pages.push(events.length);
        const read = { events, lastId: events.at(-1)?.eventId, exhausted };
        const trimmed =
          this.trimmedThrough !== undefined &&
          compareEventIds(parseEventId(this.trimmedThrough)!, after) > 0;
        return Promise.resolve(
          trimmed ? { ...read, missingUntil: events[0]?.eventId ?? null } : read,
        );
      }
    }

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

    it('should page through the archive, then carry on from memory with nothing lost meanwhile', async () => {
      const archived = Array.from({ length: ARCHIVE_PAGE + 20 }, (_, i) => sampleOf(`${10 + i}-0`));
      const archive = new ListArchive(archived);
      ['5000-0', '5001-0'].forEach((id) => ingest(id));
      const start = hub.resolve('10-0', 'Last-Event-ID');
      open({
        ...start,
        afterEventId: '10-0',
        catchUp: new ArchiveCatchUp(
          archive,
          hub,
          start.archiveAfter!,
          hub.eventIdAt(start.after + 1),
        ),
        // Pages are sized to fit in half the bound: this one holds full pages.
        maxLagBytes: 64 << 20,
      });
      ingest('5002-0'); // published while the archive is read

      await settleUntil(() => wireIds().length === ARCHIVE_PAGE + 19 + 3);

      expect(wireIds()).toEqual([
        ...archived.slice(1).map((entry) => entry.eventId),
        '5000-0',
        '5001-0',
        '5002-0',
      ]);
      expect(archive.reads).toBe(2);
      expect(output.frames.some((frame) => frame.event === 'gap')).toBe(false);
      ingest('5003-0');
      expect(wireIds().at(-1)).toBe('5003-0');
    });

    it('should read from the archive what the ring dropped while the archive was read', async () => {
      hub = hubRetaining(3, true);
      const all = ['10-0', '11-0', '12-0', '20-0', '21-0', '22-0', '23-0', '24-0'].map((id) =>
        sampleOf(id),
      );
      const archive = new ListArchive(all);
      all.slice(3, 6).forEach((entry) => hub.ingest(entry));
      const start = hub.resolve('10-0', 'Last-Event-ID');
      open({
        ...start,
        afterEventId: '10-0',
        catchUp: new ArchiveCatchUp(archive, hub, '10-0', hub.eventIdAt(start.after + 1)),
      });
      // Before the first page arrives, the ring (three events) drops 20-0 and 21-0.
      all.slice(6).forEach((entry) => hub.ingest(entry));

      await settleUntil(() => wireIds().length === 7);

      expect(wireIds()).toEqual(all.slice(1).map((entry) => entry.eventId));
      expect(output.frames.some((frame) => frame.event === 'gap')).toBe(false);
    });

    it('should not send twice what the ring took in while a client that came to an empty one caught up', async () => {
      const all = ['10-0', '11-0', '12-0', '13-0'].map((id) => sampleOf(id));
      const start = hub.resolve('10-0', 'Last-Event-ID');
      open({
        ...start,
        afterEventId: '10-0',
        catchUp: new ArchiveCatchUp(new ListArchive(all), hub, '10-0', undefined),
      });
      // A gateway that just started loads the same entries while the client reads them.
      all.forEach((entry) => hub.ingest(entry));
      hub.ingest(sampleOf('14-0'));

      await settleUntil(() => wireIds().length >= 4);

      expect(wireIds()).toEqual(['11-0', '12-0', '13-0', '14-0']);
    });

    it('should say what the archive lost to trimming before what it still has', async () => {
      const archive = new ListArchive([sampleOf('30-0'), sampleOf('31-0')], '29-0');
      ingest('40-0');
      const start = hub.resolve('20-0', 'Last-Event-ID');
      open({
        ...start,
        afterEventId: '20-0',
        catchUp: new ArchiveCatchUp(archive, hub, '20-0', '40-0'),
      });

      await settleUntil(() => wireIds().length === 3);

      expect(output.frames[0]).toEqual({
        event: 'gap',
        id: '29-18446744073709551615',
        data: JSON.stringify({ from: '20-0', to: '30-0' }),
      });
      expect(wireIds()).toEqual(['30-0', '31-0', '40-0']);
    });

    it('should tell the client of a gap and go on from memory when the archive cannot be read', async () => {
      ingest('40-0');
      const start = hub.resolve('20-0', 'Last-Event-ID');
      open({
        ...start,
        afterEventId: '20-0',
        catchUp: new ArchiveCatchUp(new ListArchive([], undefined, true), hub, '20-0', '40-0'),
      });

      await settleUntil(() => wireIds().length === 1);

      expect(output.frames.map((frame) => frame.event)).toEqual(['gap', 'sample']);
      expect(JSON.parse(output.frames[0]!.data!)).toEqual({ from: '20-0', to: '40-0' });
    });

    describe('when the socket backs up during the catch-up', () => {
      // Five-digit ids: every frame has the same size.
      const archived = Array.from({ length: 3 * ARCHIVE_PAGE }, (_, i) =>
        sampleOf(`${10000 + i}-0`),
      );
      const catchUpFrom = (archive: ListArchive, maxLagBytes: number) => {
        ingest('90000-0');
        const start = hub.resolve('10000-0', 'Last-Event-ID');
        return open({
          ...start,
          afterEventId: '10000-0',
          catchUp: new ArchiveCatchUp(archive, hub, '10000-0', '90000-0'),
          maxLagBytes,
        });
      };
      const frameBytes = () =>
        hub.detached(sampleOf('10001-0'), 0).frame(GroupSelection.ALL).sse.length;

      it('should write about a slice past the point the socket asks to wait, then the rest as it drains', async () => {
        output = new BoundedOutput(16 * 1024);
        const archive = new ListArchive(archived);
        catchUpFrom(archive, 64 << 20);

        await settleUntil(() => archive.reads === 1 && output.writableNeedDrain);
        await settle();
        const beforeDrain = output.text.length;
        while (wireIds().length < archived.length) {
          output.drain();
          await settle();
        }

        expect(beforeDrain).toBeLessThanOrEqual(16 * 1024 + frameBytes());
        expect(wireIds()).toEqual([...archived.slice(1).map((entry) => entry.eventId), '90000-0']);
      });

      it('should drop a client whose socket never drains at the bound, leaving no listener and reading no further', async () => {
        const size = frameBytes();
        const maxLagBytes = 40 * size;
        const archive = new ListArchive(archived);
        catchUpFrom(archive, maxLagBytes);
        output.writableNeedDrain = true; // before the first page arrives
        await settleUntil(() => archive.reads === 1);
        await settle();
        // The page in hand is owed to the client: it counts against the bound.
        const held = archive.pages[0]! * size;
        expect(held).toBeLessThanOrEqual(maxLagBytes / 2);

        let published = 0;
        while (!output.destroyed && published < 100) {
          ingest(`${90001 + published++}-0`);
        }
        await settle();

        expect(dropped).toHaveBeenCalledTimes(1);
        expect(held + (published - 1) * size).toBeLessThanOrEqual(maxLagBytes);
        expect(held + published * size).toBeGreaterThan(maxLagBytes);
        expect(output.listenerCount('drain')).toBe(0);
        expect(archive.reads).toBe(1);
      });

      it('should leave no drain listener and read the archive no further when the client closes mid catch-up', async () => {
        const archive = new ListArchive(archived);
        catchUpFrom(archive, 64 << 20);
        await settleUntil(() => archive.reads === 1);
        output.writableNeedDrain = true;
        await settle();
        expect(output.listenerCount('drain')).toBe(1);
        const written = output.text.length;

        session.close();
        output.drain();
        await settleUntil(() => false);

        expect(output.listenerCount('drain')).toBe(0);
        expect(archive.reads).toBe(1);
        expect(output.text.length).toBe(written);
        expect(dropped).not.toHaveBeenCalled();
      });
    });

    const settleUntil = async (done: () => boolean) => {
      for (let i = 0; i < 100 && !done(); i++) {
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
  });
});

/** A response that takes `highWaterMark` bytes, then asks to wait for `drain`, as a socket does. */
class BoundedOutput extends FakeOutput {
  private pending = 0;

  constructor(private readonly highWaterMark: number) {
    super();
  }

  override write(chunk: string | Buffer): boolean {
    super.write(chunk);
    this.pending += chunk.length;
    this.writableNeedDrain = this.pending >= this.highWaterMark;
    return !this.writableNeedDrain;
  }

  override drain(): void {
    this.pending = 0;
    super.drain();
  }
}
