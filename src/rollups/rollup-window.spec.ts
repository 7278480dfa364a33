import { sampleReading } from '../../test/helpers/readings.js';
import type { SampleReading } from '../hub/sample.js';
import { RollupAccumulator } from './rollup-accumulator.js';
import type { RollupBucket } from './rollup-bucket.js';
import { parseRollupTiers } from './rollup-tiers.js';
import { RollupWindow } from './rollup-window.js';

const at = (iso: string, usage = 30, host = 'web-1'): SampleReading => ({
  ...sampleReading(usage),
  timestamp: iso,
  host,
});

const describeBucket = (bucket: RollupBucket) =>
  `${bucket.host} ${bucket.tier} ${new Date(bucket.start).toISOString()} x${bucket.accumulator.samples}`;

describe('RollupWindow', () => {
  const minuteOnly = parseRollupTiers('1m:7d');

  it('should close the open bucket when a sample lands exactly on its end', () => {
    // Arrange
    const window = new RollupWindow(minuteOnly);
    window.add(at('2026-11-24T11:00:00.000Z'));
    window.add(at('2026-11-24T11:00:59.999Z'));

    // Act
    const closed = window.add(at('2026-11-24T11:01:00.000Z'));

    // Assert
    expect(closed.map(describeBucket)).toEqual(['web-1 1m 2026-11-24T11:00:00.000Z x2']);
    expect(window.openBuckets().map(describeBucket)).toEqual([
      'web-1 1m 2026-11-24T11:01:00.000Z x1',
    ]);
  });

  it('should close every tier whose bucket ended when a sample crosses an hour, finest first', () => {
    // Arrange
    const window = new RollupWindow(parseRollupTiers('1h:2y,1m:7d,15m:90d'));
    window.add(at('2026-11-24T11:59:30.000Z'));

    // Act
    const closed = window.add(at('2026-11-24T12:00:10.000Z'));

    // Assert
    expect(closed.map(describeBucket)).toEqual([
      'web-1 1m 2026-11-24T11:59:00.000Z x1',
      'web-1 15m 2026-11-24T11:45:00.000Z x1',
      'web-1 1h 2026-11-24T11:00:00.000Z x1',
    ]);
  });

  it('should keep a sample out of order within the open bucket when it arrives late', () => {
    // Arrange
    const window = new RollupWindow(minuteOnly);
    window.add(at('2026-11-24T11:00:30.000Z', 30));

    // Act
    const closed = window.add(at('2026-11-24T11:00:10.000Z', 50));

    // Assert
    expect(closed).toEqual([]);
    expect(window.dropped).toBe(0);
    expect(window.openBuckets()[0]?.accumulator.toPoint('web-1', 0).cpu).toMatchObject({
      usage: { min: 30, avg: 40, max: 50 },
    });
  });

  it('should drop and count a sample when its bucket has closed', () => {
    // Arrange
    const window = new RollupWindow(parseRollupTiers('1m:7d,15m:90d'));
    window.add(at('2026-11-24T11:00:30.000Z'));
    window.add(at('2026-11-24T11:01:30.000Z'));

    // Act
    const closed = window.add(at('2026-11-24T11:00:50.000Z'));

    // Assert: too late for the minute, still in time for the quarter.
    expect(closed).toEqual([]);
    expect(window.dropped).toBe(1);
    expect(window.openBuckets().map(describeBucket)).toEqual([
      'web-1 1m 2026-11-24T11:01:00.000Z x1',
      'web-1 15m 2026-11-24T11:00:00.000Z x3',
    ]);
  });

  it('should keep hosts apart when several hosts send samples', () => {
    // Arrange
    const window = new RollupWindow(minuteOnly);
    window.add(at('2026-11-24T11:00:30.000Z', 30, 'web-1'));
    window.add(at('2026-11-24T11:00:40.000Z', 30, 'web-2'));

    // Act
    const closed = window.add(at('2026-11-24T11:01:00.000Z', 30, 'web-1'));

    // Assert
    expect(closed.map(describeBucket)).toEqual(['web-1 1m 2026-11-24T11:00:00.000Z x1']);
    expect(window.openBuckets().map(describeBucket)).toEqual([
      'web-1 1m 2026-11-24T11:01:00.000Z x1',
      'web-2 1m 2026-11-24T11:00:00.000Z x1',
    ]);
  });

  it('should return and close every open bucket when flushed', () => {
    // Arrange
    const window = new RollupWindow(parseRollupTiers('1m:7d,1h:2y'));
    window.add(at('2026-11-24T11:00:30.000Z', 30, 'web-1'));
    window.add(at('2026-11-24T11:00:40.000Z', 30, 'web-2'));

    // Act
    const flushed = window.flush();

    // Assert
    expect(flushed.map(describeBucket)).toEqual([
      'web-1 1m 2026-11-24T11:00:00.000Z x1',
      'web-2 1m 2026-11-24T11:00:00.000Z x1',
      'web-1 1h 2026-11-24T11:00:00.000Z x1',
      'web-2 1h 2026-11-24T11:00:00.000Z x1',
    ]);
    expect(window.openBuckets()).toEqual([]);
  });

  it('should close only the buckets past the grace when a host goes quiet', () => {
    // Arrange
    let now = Date.parse('2026-11-24T11:01:59.999Z');
    const window = new RollupWindow(minuteOnly, { now: () => now, idleGraceMs: 60_000 });
    window.add(at('2026-11-24T11:00:30.000Z'));
    const early = window.closeIdle();
    now += 1;

    // Act
    const closed = window.closeIdle();
    const late = window.add(at('2026-11-24T11:00:45.000Z'));

    // Assert
    expect(early).toEqual([]);
    expect(closed.map(describeBucket)).toEqual(['web-1 1m 2026-11-24T11:00:00.000Z x1']);
    expect(late).toEqual([]);
    expect(window.dropped).toBe(1);
  });

  it('should drop and count a sample when its timestamp is not a time', () => {
    // Arrange
    const window = new RollupWindow(minuteOnly);

    // Act
    const closed = window.add(at('yesterday'));

    // Assert
    expect(closed).toEqual([]);
    expect(window.dropped).toBe(1);
  });

  it('should merge a restored bucket and skip the samples it holds already', () => {
    // Arrange: before a restart, 11:00:10 and :20 were written; Redis replays :20 and :30.
    const before = new RollupWindow(minuteOnly);
    before.add(at('2026-11-24T11:00:10.000Z', 20));
    before.add(at('2026-11-24T11:00:20.000Z', 40));
    const [stored] = before.flush();
    const window = new RollupWindow(minuteOnly);

    // Act
    const restored = window.restore(stored as RollupBucket);
    window.add(at('2026-11-24T11:00:20.000Z', 40));
    window.add(at('2026-11-24T11:00:30.000Z', 90));
    const [closed] = window.add(at('2026-11-24T11:01:00.000Z', 10));

    // Assert
    expect(restored).toBe(true);
    expect(closed?.accumulator.samples).toBe(3);
    expect(closed?.accumulator.toPoint('web-1', 0, ['cpu']).cpu).toMatchObject({
      usage: { min: 20, avg: 50, max: 90 },
    });
    // The next bucket takes every sample again.
    window.add(at('2026-11-24T11:01:00.000Z', 10));
    expect(window.openBuckets()[0]?.accumulator.samples).toBe(2);
    expect(window.dropped).toBe(0);
  });

  it('should keep the newest sample time through the stored state', () => {
    // Arrange
    const window = new RollupWindow(minuteOnly);
    window.add(at('2026-11-24T11:00:30.000Z'));
    window.add(at('2026-11-24T11:00:10.000Z'));
    const [bucket] = window.flush();

    // Act
    const state = bucket?.accumulator.toState();

    // Assert
    expect(state?.t).toBe(Date.parse('2026-11-24T11:00:30.000Z'));
    expect(RollupAccumulator.fromState(state).newestSampleMs).toBe(state?.t);
  });

  it('should not restore a bucket the window has closed or one other than its open bucket', () => {
    // Arrange
    const earlier = new RollupWindow(minuteOnly);
    earlier.add(at('2026-11-24T11:00:10.000Z'));
    const [old] = earlier.flush();
    const window = new RollupWindow(minuteOnly);
    window.add(at('2026-11-24T11:00:50.000Z'));
    window.add(at('2026-11-24T11:01:10.000Z'));
    const other = new RollupWindow(minuteOnly);
    other.add(at('2026-11-24T11:02:10.000Z'));
    const [later] = other.flush();

    // Act and assert
    expect(window.restore(old as RollupBucket)).toBe(false);
    expect(window.restore(later as RollupBucket)).toBe(false);
    expect(window.openBuckets().map(describeBucket)).toEqual([
      'web-1 1m 2026-11-24T11:01:00.000Z x1',
    ]);
  });
});
