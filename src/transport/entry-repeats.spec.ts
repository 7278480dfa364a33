import { EntryRepeats } from './entry-repeats.js';

describe('EntryRepeats', () => {
  it("should take an entry at or below a run's highest sequence for a repeat when an agent re-sends", () => {
    const repeats = new EntryRepeats();

    const seen = [1, 2, 3, 2, 3, 4].map((seq) => repeats.repeats('run-a', seq));
    const otherRun = repeats.repeats('run-b', 1);

    expect(seen).toEqual([false, false, false, true, true, false]);
    expect(otherRun).toBe(false);
  });

  it('should forget runs not seen for a while, and the least recently seen past its bound, when runs keep coming', () => {
    let now = 0;
    const repeats = new EntryRepeats(3, 1000, () => now);
    ['a', 'b', 'c'].forEach((run) => repeats.repeats(run, 1));

    repeats.repeats('a', 2);
    repeats.repeats('d', 1);
    const afterBound = repeats.size;
    now = 1500;
    repeats.repeats('e', 1);

    expect(afterBound).toBe(3);
    expect(repeats.size).toBe(1);
    // 'b' was the least recently seen: forgotten first, so its entry 1 is new again.
    expect(repeats.repeats('b', 1)).toBe(false);
  });
});
