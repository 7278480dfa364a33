import { jest } from '@jest/globals';
import { BoundedOutput, FakeOutput } from '../../test/helpers/fake-output.js';
import { hubRetaining } from '../../test/helpers/hubs.js';
import { openSession, sampleFrameIds } from '../../test/helpers/sessions.js';
import { ListArchive } from '../../test/helpers/list-archive.js';
import { remoteSample } from '../../test/helpers/readings.js';
import { GroupSelection } from '../hub/group-selection.js';
import type { SampleHubService } from '../hub/sample-hub.service.js';
import { ARCHIVE_PAGE, ArchiveCatchUp } from './archive-catch-up.js';
import { type SessionOptions, StreamSession } from './stream-session.js';

describe('ArchiveReplay (a StreamSession catching up from the archive)', () => {
  let hub: SampleHubService;
  let output: FakeOutput;
  let dropped: jest.Mock<() => void>;
  let session: StreamSession;

  const open = (options: Partial<SessionOptions>): StreamSession =>
    (session = openSession(hub, output, dropped, options));
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  beforeEach(() => {
    hub = hubRetaining(100);
    output = new FakeOutput();
    dropped = jest.fn();
  });

  afterEach(() => {
    session.close();
  });

  const sampleOf = remoteSample;
  const ingest = (eventId: string, host = 'web-1') => hub.ingest(sampleOf(eventId, host))!;
  const wireIds = () => sampleFrameIds(output);

  beforeEach(() => {
    hub = hubRetaining(100, true);
  });

  it('should page through the archive, then carry on from memory with nothing lost meanwhile', async () => {
    const archived = Array.from({ length: ARCHIVE_PAGE + 20 }, (_, i) => sampleOf(`${10 + i}-0`));
    const archive = new ListArchive(archived);
    ['5000-0', '5001-0'].forEach((id) => ingest(id));
    const start = hub.resolve('10-0', 'Last-Event-ID');
    open({
      ...start,
      afterEventId: '10-0',
      catchUp: new ArchiveCatchUp(archive, start.archiveAfter!, hub.eventIdAt(start.after + 1)),
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
      catchUp: new ArchiveCatchUp(archive, '10-0', hub.eventIdAt(start.after + 1)),
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
      catchUp: new ArchiveCatchUp(new ListArchive(all), '10-0', undefined),
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
      catchUp: new ArchiveCatchUp(archive, '20-0', '40-0'),
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
      catchUp: new ArchiveCatchUp(new ListArchive([], undefined, true), '20-0', '40-0'),
    });

    await settleUntil(() => wireIds().length === 1);

    expect(output.frames.map((frame) => frame.event)).toEqual(['gap', 'sample']);
    expect(JSON.parse(output.frames[0]!.data!)).toEqual({ from: '20-0', to: '40-0' });
  });

  describe('when the socket backs up during the catch-up', () => {
    // Five-digit ids: every frame has the same size.
    const archived = Array.from({ length: 3 * ARCHIVE_PAGE }, (_, i) => sampleOf(`${10000 + i}-0`));
    const catchUpFrom = (archive: ListArchive, maxLagBytes: number) => {
      ingest('90000-0');
      const start = hub.resolve('10000-0', 'Last-Event-ID');
      return open({
        ...start,
        afterEventId: '10000-0',
        catchUp: new ArchiveCatchUp(archive, '10000-0', '90000-0'),
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
