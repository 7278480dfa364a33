import { DASH } from '../../public/js/format.js';
import {
  NOT_EXPOSED,
  NOT_REPORTED,
  NO_RANGE_READINGS,
  chartLabel,
  chartShows,
  gpuCharts,
  gpuFigures,
  showsGpuMemory,
  sortGpus,
  vendorName,
} from '../../public/js/gpus.js';
import { bandKey, rollupView } from '../../public/js/rollup-series.js';
import {
  CHART_GROUPS,
  appendPoint,
  createTimeline,
  gpuKey,
  pointValues,
  updateGpus,
} from '../../public/js/timeline.js';

type Gpu = Parameters<typeof gpuFigures>[0];
type Sample = Parameters<typeof pointValues>[0];

const GiB = 1024 ** 3;

/** An NVIDIA GPU with every figure read; `overrides` changes some. */
const nvidia = (overrides: Partial<Gpu> = {}): Gpu => ({
  index: 0,
  name: 'NVIDIA A10',
  vendor: 'nvidia',
  utilization: 87,
  memoryUsed: 6 * GiB,
  memoryTotal: 24 * GiB,
  memoryUsage: 25,
  temperatureC: 61,
  powerW: 143.2,
  powerLimitW: 150,
  fanPercent: 40,
  clockMHz: 1695,
  clockMaxMHz: 1710,
  ...overrides,
});

/** An Intel GPU as the DRM reader sees one without perf access: a clock, little else. */
const intel = (overrides: Partial<Gpu> = {}): Gpu => ({
  index: 1,
  name: 'Intel UHD Graphics 770',
  vendor: 'intel',
  utilization: null,
  memoryUsed: null,
  memoryTotal: null,
  memoryUsage: null,
  temperatureC: null,
  powerW: null,
  powerLimitW: null,
  fanPercent: null,
  clockMHz: 300,
  clockMaxMHz: 1550,
  ...overrides,
});

const noRules = () => '' as const;
const shown = { spoken: '', level: '', mark: '' };

describe('the dashboard GPUs: figures', () => {
  it('should show every figure with its limit, total and maximum when the driver gives them all', () => {
    const f = gpuFigures(nvidia(), noRules);

    expect(f).toEqual({
      heading: 'GPU 0: NVIDIA A10, NVIDIA',
      title: 'GPU 0',
      name: 'NVIDIA A10',
      vendor: 'NVIDIA',
      utilization: { ...shown, text: '87.0 %', sub: '', value: '87' },
      memory: { ...shown, text: '25.0 %', sub: '6.0 GiB of 24.0 GiB', value: '25' },
      temperature: { ...shown, text: '61.0 °C', sub: '', value: '61' },
      power: { ...shown, text: '143.2 W', sub: 'of 150 W limit', value: '143.2' },
      fan: { ...shown, text: '40.0 %', sub: '', value: '40' },
      clock: { ...shown, text: '1695 MHz', sub: 'of 1710 MHz max', value: '1695' },
    });
  });

  it('should show a dash that reads "not reported", never 0, when a figure is null', () => {
    const f = gpuFigures(
      nvidia({ temperatureC: null, powerW: null, powerLimitW: null, fanPercent: null }),
      noRules,
    );

    for (const figure of [f.temperature, f.power, f.fan]) {
      expect(figure).toEqual({ ...shown, text: DASH, spoken: NOT_REPORTED, sub: '', value: '' });
    }
    expect(NOT_REPORTED).toBe('not reported');
  });

  it("should say Intel's utilisation is not exposed by the driver when it is null", () => {
    const f = gpuFigures(intel(), noRules);

    expect(f).toMatchObject({
      heading: 'GPU 1: Intel UHD Graphics 770, Intel',
      title: 'GPU 1',
      name: 'Intel UHD Graphics 770',
      vendor: 'Intel',
    });
    // The line below says why, so nothing else is read in the dash's place.
    expect(f.utilization).toEqual({ ...shown, text: DASH, sub: NOT_EXPOSED, value: '' });
    expect(NOT_EXPOSED).toBe('not exposed by the driver');
    expect(f.memory).toEqual({ ...shown, text: DASH, spoken: NOT_REPORTED, sub: '', value: '' });
    expect(f.clock).toEqual({ ...shown, text: '300 MHz', sub: 'of 1550 MHz max', value: '300' });
  });

  it("should not blame the driver for another vendor's missing utilisation", () => {
    const f = gpuFigures(nvidia({ utilization: null }), noRules);

    expect(f.utilization).toMatchObject({ text: DASH, spoken: NOT_REPORTED, sub: '' });
  });

  it('should state the limit or maximum alone when only it is known', () => {
    const f = gpuFigures(nvidia({ powerW: null, clockMHz: null }), noRules);

    expect(f.power).toMatchObject({ text: DASH, spoken: NOT_REPORTED, sub: 'limit 150 W' });
    expect(f.clock).toMatchObject({ text: DASH, spoken: NOT_REPORTED, sub: 'max 1710 MHz' });
  });

  it('should give what it knows of memory when the total or the use is missing', () => {
    const usedOnly = gpuFigures(nvidia({ memoryTotal: null, memoryUsage: null }), noRules);
    const totalOnly = gpuFigures(nvidia({ memoryUsed: null, memoryUsage: null }), noRules);

    expect(usedOnly.memory).toMatchObject({ text: DASH, sub: '6.0 GiB used' });
    expect(totalOnly.memory).toMatchObject({ text: DASH, sub: '24.0 GiB in all' });
  });

  it("should take the rules' level, in words too, for the GPU metric paths", () => {
    const asked: Array<[string, unknown]> = [];
    const level = (metric: string, v: unknown) => {
      asked.push([metric, v]);
      return metric === 'gpus[].temperatureC' ? ('critical' as const) : ('warning' as const);
    };

    const f = gpuFigures(nvidia(), level);

    expect(asked).toEqual([
      ['gpus[].utilization', 87],
      ['gpus[].memoryUsage', 25],
      ['gpus[].temperatureC', 61],
    ]);
    expect(f.utilization).toMatchObject({ level: 'warning', mark: 'warning' });
    expect(f.memory).toMatchObject({ level: 'warning', mark: 'warning' });
    expect(f.temperature).toMatchObject({ level: 'critical', mark: 'critical' });
    expect(f.power).toMatchObject({ level: '', mark: '' }); // no rule path for the others
  });

  it('should still title a GPU by its index and maker when it has no name', () => {
    const f = gpuFigures(intel({ index: 2, name: '', vendor: 'amd' }), noRules);

    expect(f).toMatchObject({ heading: 'GPU 2: Unnamed GPU, AMD', name: 'Unnamed GPU' });
    expect(f.utilization.sub).toBe(''); // not Intel: nothing is said of its driver
  });

  it('should name the makers as people write them', () => {
    expect(['nvidia', 'amd', 'intel', 'matrox', undefined].map(vendorName)).toEqual([
      'NVIDIA',
      'AMD',
      'Intel',
      'matrox',
      '',
    ]);
  });

  it('should order GPUs by index and skip an element without one', () => {
    const list = [intel({ index: 2 }), nvidia({ index: 0 }), { name: 'x' } as Gpu, intel()];

    expect(sortGpus(list).map((g) => g.index)).toEqual([0, 1, 2]);
    expect(sortGpus(null)).toEqual([]);
    expect(list[0]!.index).toBe(2); // not sorted in place
  });
});

describe('the dashboard GPUs: charts', () => {
  it("should chart each GPU's utilisation and memory % in a column of its own", () => {
    const values = pointValues({ id: 1, gpus: [nvidia(), intel()] });

    expect(values).toEqual({
      [gpuKey(0, 'utilization')]: 87,
      [gpuKey(0, 'memoryUsage')]: 25,
      [gpuKey(1, 'utilization')]: null,
      [gpuKey(1, 'memoryUsage')]: null,
    });
    expect(pointValues({ id: 1, gpus: [] })).toEqual({});
    expect(pointValues({ id: 1, gpus: null })).toEqual({});
  });

  it("should draw a GPU's two charts, 0–100 %, from those columns", () => {
    const [utilization, memory] = gpuCharts(3);

    expect(utilization).toMatchObject({
      figure: 'utilization',
      heading: 'Utilisation',
      spec: { id: 'gpu-3-utilization-chart', range: [0, 100] },
    });
    expect(utilization!.spec.lines([]).map((l) => [l.key, l.label])).toEqual([
      [gpuKey(3, 'utilization'), 'Utilisation'],
    ]);
    expect(memory!.spec.lines([]).map((l) => [l.key, l.label])).toEqual([
      [gpuKey(3, 'memoryUsage'), 'Memory'],
    ]);
    expect(memory!.spec.lines([])[0]!.fmt(25)).toBe('25.0 %');
  });

  it('should name a chart for assistive technology, live and over a range', () => {
    const { spec } = gpuCharts(0)[0]!;

    expect(chartLabel(spec, null)).toBe('GPU 0 utilisation over the last minutes');
    expect(chartLabel(spec, 'Last 24 hours')).toBe(
      'GPU 0 utilisation, Last 24 hours: averages with min–max bands',
    );
  });

  it('should show a chart only with readings, and over a range say there are none', () => {
    expect(chartShows([null, 3], false)).toBe('chart');
    expect(chartShows([null, null], false)).toBe('none');
    expect(chartShows(undefined, false)).toBe('none');
    expect(chartShows([null], true)).toBe('note');
    expect(NO_RANGE_READINGS).toBe('No readings in this range');
  });

  it('should drop the columns of a GPU gone once nothing of it is left in the window', () => {
    const timeline = createTimeline(2);
    const add = (s: Sample) => {
      appendPoint(timeline, Number(s.id), pointValues(s));
      updateGpus(timeline, s);
    };

    add({ id: 1, gpus: [nvidia(), intel({ utilization: 5 })] });
    add({ id: 2, gpus: [nvidia()] });
    const whileInWindow = timeline.cols.has(gpuKey(1, 'utilization'));
    add({ id: 3, gpus: [nvidia()] });

    expect(whileInWindow).toBe(true);
    expect([...timeline.cols.keys()]).toEqual([gpuKey(0, 'utilization'), gpuKey(0, 'memoryUsage')]);
  });

  it('should ask the rollups for the gpus group, and draw their averages in min–max bands', () => {
    const stats = (min: number, avg: number, max: number) => ({ min, avg, max });
    const answer = {
      stepSeconds: 60,
      points: [
        {
          timestamp: '2026-11-24T11:00:00.000Z',
          host: 'h',
          gpus: [
            {
              index: 0,
              name: 'NVIDIA A10',
              vendor: 'nvidia',
              utilization: stats(10, 40, 90),
              memoryUsage: stats(20, 25, 30),
            },
            { index: 1, name: 'Intel Arc A380', vendor: 'intel', utilization: null },
          ],
        },
      ],
    };

    const { timeline } = rollupView(answer, null);

    expect(CHART_GROUPS).toContain('gpus');
    expect(timeline.cols.get(gpuKey(0, 'utilization'))).toEqual([40]);
    expect(timeline.cols.get(bandKey('min', gpuKey(0, 'utilization')))).toEqual([10]);
    expect(timeline.cols.get(bandKey('max', gpuKey(0, 'utilization')))).toEqual([90]);
    expect(timeline.cols.get(gpuKey(0, 'memoryUsage'))).toEqual([25]);
    expect(timeline.cols.get(gpuKey(1, 'utilization'))).toEqual([null]);
  });
});

describe('the dashboard GPUs: processes', () => {
  it('should show the GPU memory column when some top process holds GPU memory', () => {
    expect(showsGpuMemory([{ pid: 1 }, { pid: 2, gpuMemory: 512 * 1024 ** 2 }])).toBe(true);
    expect(showsGpuMemory([{ pid: 1 }, { pid: 2, gpuMemory: null }])).toBe(false);
    expect(showsGpuMemory([])).toBe(false);
    expect(showsGpuMemory(undefined)).toBe(false);
  });
});
