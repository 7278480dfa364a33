import { bandKey, pickStat, rollupView } from '../../public/js/rollup-series.js';
import { netKey } from '../../public/js/timeline.js';

const stats = (avg: number) => ({ min: avg - 1, avg, max: avg + 1 });
const at = (minute: number) => new Date(Date.UTC(2026, 10, 24, 11, minute)).toISOString();
const t = (minute: number) => Date.UTC(2026, 10, 24, 11, minute) / 1000;

// Points shaped as GET /api/v1/metrics/rollups answers them (contract.md, "Rollups").
const point = (minute: number, extra: Record<string, unknown> = {}) => ({
  timestamp: at(minute),
  host: 'web-1',
  samples: 60,
  cpu: { usage: stats(20 + minute), user: stats(10), system: stats(5), iowait: null, steal: null },
  memory: { usage: stats(40), swapUsage: null },
  ...extra,
});

const answer = (points: unknown[]) => ({
  tier: '1m',
  stepSeconds: 60,
  from: at(0),
  to: at(10),
  points,
});

describe('the dashboard rollup series', () => {
  it('should keep identifying fields plain and take one stat of every number', () => {
    const value = { network: [{ iface: 'eth0', rxBytesPerSec: stats(100) }], temp: null };

    expect(pickStat(value, 'max')).toEqual({
      network: [{ iface: 'eth0', rxBytesPerSec: 101 }],
      temp: null,
    });
  });

  it('should draw the average under the live keys and the min and max beside it', () => {
    const { timeline, points, span } = rollupView(answer([point(0), point(1)]), null);

    expect(points).toBe(2);
    expect(span).toEqual([t(0), t(10)]);
    expect(timeline.x).toEqual([t(0), t(1)]);
    expect(timeline.cols.get('cpu.usage')).toEqual([20, 21]);
    expect(timeline.cols.get(bandKey('min', 'cpu.usage'))).toEqual([19, 20]);
    expect(timeline.cols.get(bandKey('max', 'cpu.usage'))).toEqual([21, 22]);
    expect(timeline.cols.get('stack.system')).toEqual([15, 15]);
  });

  it('should give null for a stat that was null all bucket, never a made-up 0', () => {
    const { timeline } = rollupView(answer([point(0)]), null);

    expect(timeline.cols.get('swap.usage')).toEqual([null]);
    expect(timeline.cols.get(bandKey('max', 'swap.usage'))).toEqual([null]);
    expect(timeline.cols.get('cpu.iowait')).toEqual([null]);
  });

  it('should list every interface seen in the range and leave null where one was absent', () => {
    const eth0 = { iface: 'eth0', rxBytesPerSec: stats(100), txBytesPerSec: stats(50) };
    const wlan0 = { iface: 'wlan0', rxBytesPerSec: stats(7), txBytesPerSec: null };
    const view = rollupView(
      answer([
        point(0, { network: [eth0] }),
        point(1, { network: [eth0, wlan0] }),
        point(2, { network: [] }),
      ]),
      null,
    );

    expect(view.timeline.ifaces).toEqual(['eth0', 'wlan0']);
    expect(view.timeline.cols.get(netKey('eth0', 'rx'))).toEqual([100, 100, null]);
    expect(view.timeline.cols.get(netKey('wlan0', 'rx'))).toEqual([null, 7, null]);
    expect(view.timeline.cols.get(bandKey('min', netKey('wlan0', 'rx')))).toEqual([null, 6, null]);
    expect(view.timeline.cols.get(netKey('wlan0', 'tx'))).toEqual([null, null, null]);
  });

  it('should break the lines where buckets are missing instead of joining across the hole', () => {
    const { timeline } = rollupView(answer([point(0), point(5)]), null);

    expect(timeline.x).toEqual([t(0), t(1), t(5)]);
    expect(timeline.cols.get('cpu.usage')).toEqual([20, null, 25]);
  });

  it("should keep only the followed host's points, oldest first, skipping malformed ones", () => {
    const other = { ...point(1), host: 'web-2' };
    const view = rollupView(
      answer([point(2), other, point(1), null, { ...point(3), timestamp: 'soon' }]),
      'web-1',
    );

    expect(view.points).toBe(2);
    expect(view.timeline.x).toEqual([t(1), t(2)]);
  });

  it('should be empty, without a span, when the answer is not one', () => {
    const view = rollupView({ error: 'Not Found' }, null);

    expect(view).toMatchObject({ points: 0, span: null });
    expect(view.timeline.x).toEqual([]);
  });
});
