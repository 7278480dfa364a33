import { sampleReading } from '../../test/helpers/readings.js';
import { HostDirectory } from './host-directory.js';
import { SampleEvent } from './sample-event.js';

const T0 = Date.parse('2026-11-29T12:00:00.000Z');

/** A sample of `host` stamped `at` (its clock, ms since T0) and received at `receivedAt`. */
const sampleOf = (host: string, at: number, receivedAt: number, id = receivedAt + 1) =>
  new SampleEvent(
    id,
    String(id),
    0,
    { ...sampleReading(), id, host, timestamp: new Date(T0 + at).toISOString() },
    receivedAt,
  );

describe('HostDirectory', () => {
  let wall: number;
  let directory: HostDirectory;

  beforeEach(() => {
    wall = T0;
    directory = new HostDirectory({ ttlMs: 60_000, intervalMs: 1000 }, () => wall);
  });

  const staleOf = (host: string) => directory.list().find((h) => h.name === host)?.stale;

  it('should report a change once when a host is seen for the first time', () => {
    directory.record(sampleOf('web-1', 0, 0));

    const first = directory.sweep(10);
    directory.record(sampleOf('web-1', 1000, 1000));
    const second = directory.sweep(1010);

    expect(first).toEqual({ changed: true, forgotten: [] });
    expect(second).toEqual({ changed: false, forgotten: [] });
    expect(staleOf('web-1')).toBe(false);
  });

  it("should mark a host stale after three of its own intervals of silence, by its samples' cadence", () => {
    // Every 5 s by its clock: stale after 15 s of silence, not after 3 s (the default's three).
    directory.record(sampleOf('slow', 0, 0));
    directory.record(sampleOf('slow', 5000, 5000));
    directory.sweep(5000);

    const at19 = directory.sweep(5000 + 14_000);
    const staleAt19 = staleOf('slow');
    const at21 = directory.sweep(5000 + 15_001);

    expect([at19.changed, staleAt19]).toEqual([false, false]);
    expect([at21.changed, staleOf('slow')]).toEqual([true, true]);
  });

  it('should take the configured interval until a host has sent two samples', () => {
    directory.record(sampleOf('new', 0, 0));
    directory.sweep(0);

    directory.sweep(3000);
    const before = staleOf('new');
    directory.sweep(3001);

    expect([before, staleOf('new')]).toEqual([false, true]);
  });

  it('should time silence by when samples arrived, not by the agent clock', () => {
    // The agent's clock is an hour behind: its samples look old, but they keep coming.
    const behind = -3_600_000;
    directory.record(sampleOf('skewed', behind, 0));
    directory.record(sampleOf('skewed', behind + 1000, 1000));

    const { changed } = directory.sweep(1500);

    expect(changed).toBe(true);
    expect(staleOf('skewed')).toBe(false);
  });

  it('should report a stale host coming back as a change', () => {
    directory.record(sampleOf('web-1', 0, 0));
    directory.sweep(0);
    directory.sweep(3001);

    directory.record(sampleOf('web-1', 4000, 4000));
    const back = directory.sweep(4001);

    expect(back.changed).toBe(true);
    expect(staleOf('web-1')).toBe(false);
  });

  it('should forget a host silent past the TTL, and list it again when it reports', () => {
    directory.record(sampleOf('gone', 0, 0));
    directory.record(sampleOf('here', 0, 0));
    directory.sweep(0);
    directory.record(sampleOf('here', 59_000, 59_000));
    wall = T0 + 60_001;

    const swept = directory.sweep(60_001);
    const listed = directory.list().map((h) => h.name);
    directory.record(sampleOf('gone', 70_000, 70_000));

    expect(swept).toEqual({ changed: true, forgotten: ['gone'] });
    expect(listed).toEqual(['here']);
    expect([...directory.newestSamples()].map((s) => s.sample.host)).toEqual(['here', 'gone']);
  });

  it('should forget once stale a host whose newest sample is older than the TTL by its own time', () => {
    // Read again from Redis at a gateway's start: received now, taken two days ago.
    directory.record(sampleOf('long-gone', -2 * 86_400_000, 0));

    const fresh = directory.sweep(1);
    const { forgotten } = directory.sweep(3001);

    expect(fresh.forgotten).toEqual([]);
    expect(forgotten).toEqual(['long-gone']);
    expect(directory.list()).toEqual([]);
  });
});
