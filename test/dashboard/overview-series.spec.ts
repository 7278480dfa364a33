import {
  MAX_POINTS,
  MIN_SPAN_MS,
  WINDOW_MS,
  appendPoint,
  breakSeries,
  createSeries,
  rangeOf,
  readings,
  scaleTop,
  sparkSpan,
  traceSpark,
} from '../../public/js/overview-series.js';

type Sample = Parameters<typeof readings>[0];
type Readings = ReturnType<typeof readings>;

const T0 = Date.parse('2026-11-24T11:00:00.000Z');

/** Figures with `cpu` % and the others fixed. */
const figures = (cpu: number | null): Readings => ({
  cpu,
  memory: 50,
  disk: 20,
  diskMount: '/',
  network: 1000,
});

/** A path that records what is traced into it. */
function recorder() {
  const calls: string[] = [];
  return {
    calls,
    moveTo: (x: number, y: number) => calls.push(`M${x},${y}`),
    lineTo: (x: number, y: number) => calls.push(`L${x},${y}`),
  };
}

describe('the overview: a host series', () => {
  it("should read a card's figures from a sample: the fullest disk, every interface's traffic", () => {
    const sample: Sample = {
      id: '1-0',
      cpu: { usage: 42 },
      memory: { usage: 61.5 },
      disks: [
        { mount: '/', usage: 23, used: 1, size: 2, type: 'ext4', fs: '/dev/vda' },
        { mount: '/data', usage: 91, used: 1, size: 2, type: 'ext4', fs: '/dev/vdb' },
      ],
      network: [
        { iface: 'eth0', rxBytesPerSec: 100, txBytesPerSec: 50 },
        { iface: 'eth1', rxBytesPerSec: null, txBytesPerSec: 10 },
      ],
    };

    expect(readings(sample)).toEqual({
      cpu: 42,
      memory: 61.5,
      disk: 91,
      diskMount: '/data',
      network: 160,
    });
  });

  it('should read null, never 0, for a figure the sample does not have', () => {
    expect(readings({ id: 1, cpu: null, disks: [], network: [] })).toEqual({
      cpu: null,
      memory: null,
      disk: null,
      diskMount: null,
      network: null,
    });
  });

  it('should keep points in time order and skip one it already holds when a sample comes twice', () => {
    const series = createSeries();

    const added = [T0, T0 + 1000, T0 + 1000, T0 + 500].map((t) =>
      appendPoint(series, t, figures(1)),
    );

    expect(added).toEqual([true, true, false, false]);
    expect(series.t).toEqual([T0, T0 + 1000]);
    expect(series.step).toBe(1000);
  });

  it('should keep five minutes and at most MAX_POINTS when samples keep coming', () => {
    const series = createSeries();

    for (let i = 0; i <= 400; i++) {
      appendPoint(series, T0 + i * 1000, figures(i));
    }
    const fast = createSeries();
    for (let i = 0; i < MAX_POINTS + 10; i++) {
      appendPoint(fast, T0 + i * 100, figures(i));
    }

    expect(series.t[0]).toBe(T0 + 400_000 - WINDOW_MS);
    expect(series.values[0]).toHaveLength(301);
    expect(fast.t).toHaveLength(MAX_POINTS);
  });

  it('should give the lowest and highest of a metric, skipping missing values', () => {
    const series = createSeries();
    [30, null, 10, 70].forEach((cpu, i) => appendPoint(series, T0 + i * 1000, figures(cpu)));

    expect(rangeOf(series, 0)).toEqual({ min: 10, max: 70 });
    expect(rangeOf(createSeries(), 0)).toBeNull();
  });

  it('should scale percentages to 100 and a rate to the next round figure above its highest', () => {
    expect(scaleTop('cpu', { min: 0, max: 3 })).toBe(100);
    expect(scaleTop('network', { min: 0, max: 1300 })).toBe(2000);
    expect(scaleTop('network', { min: 0, max: 2100 })).toBe(2500);
    expect(scaleTop('network', null)).toBe(1);
  });

  it('should span five minutes, or since the oldest point of any host when the page has less', () => {
    const old = createSeries();
    appendPoint(old, T0, figures(1));
    const young = createSeries();
    appendPoint(young, T0 + 100_000, figures(1));

    expect(sparkSpan([old, young], T0 + 120_000)).toBe(120_000);
    expect(sparkSpan([young], T0 + 110_000)).toBe(MIN_SPAN_MS);
    expect(sparkSpan([old], T0 + 900_000)).toBe(WINDOW_MS);
  });
});

describe('the overview: a sparkline', () => {
  const box = { width: 300, height: 30, now: T0 + 3000, span: 3000, top: 100 };

  it('should trace time from left to right and 0 to the top from bottom to top', () => {
    const series = createSeries();
    [0, 50, 100].forEach((cpu, i) => appendPoint(series, T0 + 1000 + i * 1000, figures(cpu)));
    const path = recorder();

    const traced = traceSpark(path, series, 0, box);

    expect(traced).toBe(3);
    expect(path.calls).toEqual(['M100,30', 'L200,15', 'L300,0']);
  });

  it('should break the line at a missing value, a lost stretch or a long silence', () => {
    const series = createSeries();
    appendPoint(series, T0, figures(10));
    appendPoint(series, T0 + 100, figures(10));
    appendPoint(series, T0 + 200, figures(null));
    appendPoint(series, T0 + 300, figures(10));
    breakSeries(series, T0 + 350);
    appendPoint(series, T0 + 400, figures(10));
    appendPoint(series, T0 + 500, figures(10));
    appendPoint(series, T0 + 2000, figures(10)); // silent for 15 ticks
    const path = recorder();

    traceSpark(path, series, 0, { ...box, now: T0 + 3000, span: 3000 });

    expect(path.calls).toEqual([
      ...['M0,27', 'L10,27'],
      ...['M30,27', 'L31,27'], // alone between a missing value and a break: a short stroke
      ...['M40,27', 'L50,27'],
      ...['M200,27', 'L201,27'], // after 15 ticks of silence
    ]);
  });

  it('should clamp a value outside the scale to its edge', () => {
    const series = createSeries();
    appendPoint(series, T0 + 3000, figures(150));
    appendPoint(series, T0 + 3000 + 1, figures(-5));
    const path = recorder();

    traceSpark(path, series, 0, { ...box, now: T0 + 3001 });

    expect(path.calls[0]).toMatch(/,0$/);
    expect(path.calls[1]).toMatch(/,30$/);
  });
});
