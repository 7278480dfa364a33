import {
  DASH,
  clampPct,
  fmtBytes,
  fmtMetric,
  fmtOps,
  fmtPct,
  fmtRate,
  fmtTime,
  fmtUptime,
  isNum,
  parse,
} from '../../public/js/format.js';

describe('the dashboard formats', () => {
  it.each([null, undefined, NaN, Infinity, '12', {}])(
    'should show a dash for every figure when the value is %p',
    (value) => {
      const shown = [fmtPct, fmtBytes, fmtRate, fmtOps, fmtUptime].map((fmt) => fmt(value));

      expect(shown).toEqual(new Array(5).fill(DASH));
      expect(isNum(value)).toBe(false);
    },
  );

  it('should show percentages with one decimal when given a number', () => {
    expect(fmtPct(33)).toBe('33.0 %');
    expect(fmtPct(0.04)).toBe('0.0 %');
  });

  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1024, '1.0 KiB'],
    [1536, '1.5 KiB'],
    [8 * 1024 ** 3, '8.0 GiB'],
    [3 * 1024 ** 5, '3072.0 TiB'],
    [-2048, '-2.0 KiB'],
  ])('should show %p bytes as %p in powers of 1024', (bytes, text) => {
    expect(fmtBytes(bytes)).toBe(text);
  });

  it('should show rates and operations per second when given numbers', () => {
    expect(fmtRate(4096)).toBe('4.0 KiB/s');
    expect(fmtOps(2.5)).toBe('2.5/s');
    expect(fmtOps(120.4)).toBe('120/s');
  });

  it.each([
    [59, '0 min 59 s'],
    [3599, '59 min 59 s'],
    [3600, '1 h 0 min'],
    [90061, '1 d 1 h'],
  ])('should show an uptime of %p s as %p', (seconds, text) => {
    expect(fmtUptime(seconds)).toBe(text);
  });

  it('should show only the time when the timestamp is today, and the date too when not', () => {
    const now = new Date('2026-03-01T12:00:00');

    const today = fmtTime('2026-03-01T08:30:00', now);
    const earlier = fmtTime('2026-02-27T08:30:00', now);

    expect(today).toBe(new Date('2026-03-01T08:30:00').toLocaleTimeString());
    expect(earlier).toBe(new Date('2026-02-27T08:30:00').toLocaleString());
    expect(fmtTime('not a time', now)).toBe(DASH);
  });

  it.each([
    ['memory.usage', 91.25, '91.3 %'],
    ['sensors.cpuTempC', 70, '70.0 °C'],
    ['network[].rxBytesPerSec', 2048, '2.0 KiB/s'],
    ['memory.available', 1024 ** 2, '1.0 MiB'],
    ['container.memoryLimit', 1024, '1.0 KiB'],
    ['uptime', 3600.456, '3600.46'],
  ])("should show an alert on %p in the metric's unit", (metric, value, text) => {
    expect(fmtMetric(metric, value)).toBe(text);
  });

  it('should clamp percentages to 0…100 and read a missing one as 0', () => {
    expect([clampPct(-5), clampPct(42), clampPct(250), clampPct(null)]).toEqual([0, 42, 100, 0]);
  });

  it('should skip a frame when its JSON is malformed', () => {
    expect(parse('{"id":1}')).toEqual({ id: 1 });
    expect(parse('{"id":')).toBeNull();
  });
});
