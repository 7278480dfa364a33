import { formatDuration, parseDuration } from './duration.js';

describe('durations', () => {
  it.each([
    ['0', 0],
    ['500ms', 500],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['1m30s250ms', 90_250],
    ['1d', 86_400_000],
    ['7d12h', 648_000_000],
  ])('should read %p as %p ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '10', '1w', '-5s', '5 s', 's', '1.5s', '5s10'])('should not read %p', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it.each([0, 500, 30_000, 90_250, 5_400_000, 86_400_000])(
    'should write %p ms so that it reads back the same',
    (ms) => {
      expect(parseDuration(formatDuration(ms))).toBe(ms);
    },
  );

  it('should write the shortest form', () => {
    expect([0, 30_000, 90_000, 3_600_000].map(formatDuration)).toEqual([
      '0s',
      '30s',
      '1m30s',
      '1h',
    ]);
  });
});
