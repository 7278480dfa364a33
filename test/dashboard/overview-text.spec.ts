import {
  alertText,
  fmtFigure,
  fmtSpan,
  seenText,
  sparkText,
  summaryText,
} from '../../public/js/overview-text.js';

type WorstAlert = NonNullable<Parameters<typeof alertText>[0]>;

const NOW = Date.parse('2026-11-24T11:00:00.000Z');

describe('the overview: words', () => {
  it('should say a figure in its unit, and a dash for none', () => {
    expect(fmtFigure('cpu', 42.04)).toBe('42.0 %');
    expect(fmtFigure('network', 1536)).toBe('1.5 KiB/s');
    expect(fmtFigure('memory', null)).toBe('—');
  });

  it('should round a span down to its largest unit', () => {
    expect([999, 59_999, 60_000, 7_200_000, 172_800_000].map(fmtSpan)).toEqual([
      '0 s',
      '59 s',
      '1 min',
      '2 h',
      '2 d',
    ]);
  });

  it('should say "just now" while a host reports, and how long ago once silent or stale', () => {
    expect(seenText(NOW - 1000, NOW, false)).toBe('seen just now');
    expect(seenText(NOW - 1000, NOW, true)).toBe('last seen 1 s ago');
    expect(seenText(NOW - 90_000, NOW, false)).toBe('last seen 1 min ago');
    expect(seenText(0, NOW, false)).toBe('no sample yet');
  });

  it("should say a sparkline's lowest and highest and the minutes it covers, for screen readers", () => {
    expect(sparkText('cpu', { min: 12, max: 80 }, 300_000)).toBe(
      ', 12.0 % to 80.0 % over the last 5 min',
    );
    expect(sparkText('network', { min: 0, max: 2048 }, 40_000)).toBe(
      ', 0 B/s to 2.0 KiB/s over the last minute',
    );
    expect(sparkText('memory', { min: 10, max: 20 }, 150_000)).toBe(
      ', 10.0 % to 20.0 % over the last 3 min',
    );
    expect(sparkText('disk', { min: 23.8, max: 23.8 }, 300_000)).toBe(
      ', steady over the last 5 min',
    );
    expect(sparkText('cpu', null, 0)).toBe('');
  });

  it("should name a host's worst alert with its labels, and how many more it has", () => {
    const worst: WorstAlert = {
      severity: 'critical',
      count: 3,
      alert: { rule: 'disk-full', severity: 'critical', labels: { mount: '/data' } },
    };

    expect(alertText(worst)).toBe('disk-full (mount=/data) +2 more');
    expect(alertText({ ...worst, count: 1, alert: { rule: 'cpu', severity: 'warning' } })).toBe(
      'cpu',
    );
    expect(alertText(undefined)).toBe('');
  });

  it('should sum up the grid, and how many the filter shows when it hides some', () => {
    expect(summaryText({ total: 3, stale: 1, alerting: 2, shown: 3 })).toBe(
      '3 hosts, 2 with alerts, 1 stale',
    );
    expect(summaryText({ total: 1, stale: 0, alerting: 0, shown: 0 })).toBe('1 host; none shown');
    expect(summaryText({ total: 0, stale: 0, alerting: 0, shown: 0 })).toMatch(/No host/);
  });
});
