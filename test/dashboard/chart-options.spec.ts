import {
  CHART_SPECS,
  CURSOR_SYNC,
  chartOptions,
  seriesKeys,
  withAlpha,
} from '../../public/js/chart-options.js';
import { gpuCharts } from '../../public/js/gpus.js';
import { bandKey } from '../../public/js/rollup-series.js';
import { netKey } from '../../public/js/timeline.js';

type Legend = (u: unknown, v: number | null, si: number, idx: number | null) => string;

const spec = (id: string) => CHART_SPECS.find((s) => s.id === id)!;
const color = (name: string) => (name.startsWith('--series-') ? '#0969da' : '#59636e');

describe('the dashboard chart options', () => {
  it('should turn a theme colour into a translucent fill when it is #rrggbb', () => {
    expect(withAlpha('#0969da', 0.18)).toBe('rgba(9, 105, 218, 0.18)');
    expect(withAlpha('rgb(1, 2, 3)', 0.5)).toBe('rgb(1, 2, 3)');
  });

  it('should fill between neighbouring lines when the chart is stacked', () => {
    const modes = spec('cpu-modes-chart');
    const lines = modes.lines([]);

    const options = chartOptions(modes, lines, () => [], 400, color);

    expect(lines.map((line) => line.key)).toEqual([
      'stack.user',
      'stack.system',
      'stack.iowait',
      'stack.steal',
    ]);
    expect(options.bands).toEqual([{ series: [2, 1] }, { series: [3, 2] }, { series: [4, 3] }]);
    expect(options.series[1]).toMatchObject({ fill: 'rgba(9, 105, 218, 0.55)' });
  });

  it('should draw a receive and a dashed send line per interface when there are interfaces', () => {
    const lines = spec('network-chart').lines(['eth0', 'wlan0']);

    expect(lines.map((line) => [line.key, line.label, line.dash])).toEqual([
      [netKey('eth0', 'rx'), 'eth0 rx', undefined],
      [netKey('eth0', 'tx'), 'eth0 tx', [5, 4]],
      [netKey('wlan0', 'rx'), 'wlan0 rx', undefined],
      [netKey('wlan0', 'tx'), 'wlan0 tx', [5, 4]],
    ]);
  });

  it("should show a stacked mode's own share in the legend when no point is hovered", () => {
    const modes = spec('cpu-modes-chart');
    const lines = modes.lines([]);
    const options = chartOptions(modes, lines, () => [null, [1, 7.5]], 400, color);
    const plot = {
      data: [
        [1, 2],
        [10, 20],
        [12, 27.5],
      ],
    };
    const legend = options.series[2]!.value as unknown as Legend;

    expect(legend(plot, null, 2, null)).toBe('7.5 %');
    expect(legend(plot, null, 2, 0)).toBe('1.0 %');
  });

  it('should draw each line of a range as its average with a band from its min to its max', () => {
    const memory = spec('memory-chart');
    const lines = memory.lines([]);
    const view = { span: [100, 200] as [number, number] };

    const options = chartOptions(memory, lines, () => [], 400, color, view);
    const keys = seriesKeys(memory, lines, view);

    expect(keys).toEqual([
      'mem.usage',
      'swap.usage',
      bandKey('min', 'mem.usage'),
      bandKey('max', 'mem.usage'),
      bandKey('min', 'swap.usage'),
      bandKey('max', 'swap.usage'),
    ]);
    expect(options.series).toHaveLength(keys.length + 1);
    expect(options.series[3]).toMatchObject({ class: 'band-edge', label: 'Memory min' });
    expect(options.bands).toEqual([
      { series: [4, 3], fill: 'rgba(9, 105, 218, 0.2)' },
      { series: [6, 5], fill: 'rgba(9, 105, 218, 0.2)' },
    ]);
    expect(options.series[1]).toMatchObject({ fill: undefined });
    const range = options.scales!.x!.range as () => [number, number];
    expect(range()).toEqual([100, 200]);
  });

  it('should stack the averages without bands when a stacked chart shows a range', () => {
    const modes = spec('cpu-modes-chart');
    const lines = modes.lines([]);
    const view = { span: null };

    const options = chartOptions(modes, lines, () => [], 400, color, view);

    expect(seriesKeys(modes, lines, view)).toEqual(lines.map((line) => line.key));
    expect(options.bands).toHaveLength(3);
    expect(options.scales!.x).toEqual({ time: true });
  });

  it('should share one cursor, synced by time, between every chart when they are live or show a range', () => {
    const specs = [...CHART_SPECS, ...gpuCharts(0).map((chart) => chart.spec)];

    const syncs = [null, { span: [100, 200] as [number, number] }].flatMap((view) =>
      specs.map((s) => chartOptions(s, s.lines(['eth0']), () => [], 400, color, view).cursor?.sync),
    );

    expect(syncs).toHaveLength(2 * specs.length);
    for (const sync of syncs) {
      expect(sync).toEqual({ key: CURSOR_SYNC.key, scales: ['x', null] });
    }
  });
});
