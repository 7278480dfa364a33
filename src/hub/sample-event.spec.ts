import { jest } from '@jest/globals';
import { sampleReading } from '../../test/helpers/readings.js';
import { SAMPLE_GROUPS } from './sample-group.js';
import type { Sample } from './sample.js';
import { FrameCache } from './frame-cache.js';
import { GroupSelection } from './group-selection.js';
import { SampleEvent } from './sample-event.js';
import type { SampleProjection } from './sample-projection.js';

const READING = sampleReading();

/** Every non-empty `groups=` selection: 2^10 - 1 of them. */
const EVERY_SELECTION = Array.from({ length: 2 ** SAMPLE_GROUPS.length - 1 }, (_, i) =>
  GroupSelection.of(SAMPLE_GROUPS.filter((_, bit) => ((i + 1) >> bit) & 1)),
);

/** `selection` with its serializations counted. */
function counted(
  selection: GroupSelection,
): SampleProjection & { project: jest.Mock<(sample: Sample) => unknown> } {
  return {
    key: selection.key,
    eventType: selection.eventType,
    project: jest.fn((sample: Sample): unknown => selection.project(sample)),
  };
}

describe('SampleEvent', () => {
  const eventsIn = (cache: FrameCache, count: number) =>
    Array.from(
      { length: count },
      (_, i) =>
        new SampleEvent(i + 1, String(i + 1), i, { id: i + 1, ...READING }, 0, false, cache),
    );

  it('should serialize each projection once however many readers ask for it when nothing is evicted', () => {
    const [event] = eventsIn(new FrameCache(1 << 20), 1);
    const cpu = counted(GroupSelection.of(['cpu']));

    const frames = Array.from({ length: 100 }, () => event!.frame(cpu));

    expect(cpu.project).toHaveBeenCalledTimes(1);
    expect(new Set(frames).size).toBe(1);
  });

  it('should keep the frames of every event within the byte budget when clients ask for every distinct selection', () => {
    const budget = 256 * 1024;
    const cache = new FrameCache(budget);
    const events = eventsIn(cache, 20);
    const first = counted(EVERY_SELECTION[0]!);
    events[0]!.frame(first);
    let peak = 0;

    for (const event of events) {
      for (const selection of EVERY_SELECTION) {
        event.frame(selection);
        peak = Math.max(peak, cache.bytes);
      }
    }
    events[0]!.frame(first);

    // Unbounded, 20 events x 1,023 selections would hold several MB.
    expect(peak).toBeLessThanOrEqual(budget);
    expect(peak).toBeGreaterThan(budget / 2);
    // The first frame made room long ago: it is serialized again when asked for.
    expect(first.project).toHaveBeenCalledTimes(2);
  });

  it('should serialize a popular selection once per event when rare selections churn the cache', () => {
    const cache = new FrameCache(64 * 1024);
    const events = eventsIn(cache, 30);
    const popular = counted(GroupSelection.ALL);
    let rare = 0;

    // Each tick: subscribers of the popular selection between ones of ever new rare selections.
    for (const event of events) {
      for (let reader = 0; reader < 20; reader++) {
        event.frame(popular);
        for (let i = 0; i < 5; i++) {
          event.frame(EVERY_SELECTION[rare++ % EVERY_SELECTION.length]!);
        }
      }
    }

    expect(cache.bytes).toBeLessThanOrEqual(64 * 1024);
    expect(popular.project).toHaveBeenCalledTimes(events.length);
  });

  it('should serve but not keep a frame larger than the whole budget when one is asked for', () => {
    const cache = new FrameCache(100);
    const [event] = eventsIn(cache, 1);
    const all = counted(GroupSelection.ALL);

    const frame = event!.frame(all);
    event!.frame(all);

    expect(frame.data).toBe(JSON.stringify({ id: 1, ...READING }));
    expect(cache.bytes).toBe(0);
    expect(all.project).toHaveBeenCalledTimes(2);
  });
});
