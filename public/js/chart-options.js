// @ts-check
// What each chart shows and the uPlot options for it. Pure: colours come from `color(name)`,
// which the caller reads from the theme's custom properties.

import { fmtClock, fmtPct, fmtRate, fmtWhen, isNum } from './format.js';
import { bandKey } from './rollup-series.js';
import { MODES, netKey } from './timeline.js';

/** @typedef {import('uplot')} UPlot */
/** @typedef {import('uplot').Options} Options */
/** @typedef {import('uplot').Axis} Axis */
/** @typedef {import('uplot').Scale.Range} Range */

/**
 * One plotted line: a timeline column, and for stacked lines the raw (unsummed) one.
 * @typedef {object} Line
 * @property {string} key
 * @property {string} [raw]
 * @property {string} label
 * @property {number} color 1…6: --series-N
 * @property {boolean} [fill]
 * @property {number[]} [dash]
 * @property {(v: unknown) => string} fmt
 */

/**
 * @typedef {object} ChartSpec
 * @property {string} id the element it draws in
 * @property {string} label what it shows, for assistive technology
 * @property {Axis} axis
 * @property {Range} range
 * @property {boolean} [stacked]
 * @property {(ifaces: readonly string[]) => Line[]} lines
 */

export const CHART_HEIGHT = 170;

/**
 * The one cursor every chart of the page shares (uPlot's cursor sync): hovering a chart shows
 * the same moment on all of them. By time on x; y by relative position, as the charts' units
 * differ (%, bytes per second).
 * @type {import('uplot').Cursor.Sync}
 */
export const CURSOR_SYNC = { key: 'vitals', scales: ['x', null] };

/** @type {Axis} */
const pctAxis = { size: 48, values: (_u, splits) => splits.map((v) => `${v} %`) };
/** @type {Axis} */
const rateAxis = {
  size: 78,
  values: (_u, splits) => splits.map((v) => fmtRate(v)),
  // 1-2-5 steps in powers of 1024, so ticks land on round KiB/MiB values.
  incrs: [0, 1, 2, 3, 4].flatMap((k) =>
    [1, 2, 5, 10, 20, 50, 100, 200, 500].map((m) => m * 1024 ** k),
  ),
};
/** @type {Range} */
const pctRange = [0, 100];
/** @type {Range} */
const rateRange = (_u, _min, max) => [0, isNum(max) && max > 0 ? max * 1.15 : 1024];

/** @type {readonly ChartSpec[]} */
export const CHART_SPECS = [
  {
    id: 'cpu-chart',
    label: 'CPU usage over the last minutes',
    axis: pctAxis,
    range: pctRange,
    lines: () => [{ key: 'cpu.usage', label: 'CPU', color: 1, fill: true, fmt: fmtPct }],
  },
  {
    id: 'cpu-modes-chart',
    label: 'CPU time by mode, stacked',
    axis: pctAxis,
    range: pctRange,
    stacked: true,
    lines: () =>
      MODES.map((mode, i) => ({
        key: `stack.${mode}`,
        raw: `cpu.${mode}`,
        label: mode,
        color: i + 1,
        fill: true,
        fmt: fmtPct,
      })),
  },
  {
    id: 'memory-chart',
    label: 'Memory and swap usage over the last minutes',
    axis: pctAxis,
    range: pctRange,
    lines: () => [
      { key: 'mem.usage', label: 'Memory', color: 1, fill: true, fmt: fmtPct },
      { key: 'swap.usage', label: 'Swap', color: 2, fmt: fmtPct },
    ],
  },
  {
    id: 'disk-io-chart',
    label: 'Disk read and write rates over the last minutes',
    axis: rateAxis,
    range: rateRange,
    lines: () => [
      { key: 'io.read', label: 'Read', color: 1, fmt: fmtRate },
      { key: 'io.write', label: 'Write', color: 2, fmt: fmtRate },
    ],
  },
  {
    id: 'network-chart',
    label: 'Network receive and send rates per interface',
    axis: rateAxis,
    range: rateRange,
    lines: (ifaces) =>
      ifaces.flatMap((iface, i) => [
        { key: netKey(iface, 'rx'), label: `${iface} rx`, color: (i % 6) + 1, fmt: fmtRate },
        {
          key: netKey(iface, 'tx'),
          label: `${iface} tx`,
          color: (i % 6) + 1,
          dash: [5, 4],
          fmt: fmtRate,
        },
      ]),
  },
];

/**
 * '#rrggbb' + alpha → 'rgba(…)', for translucent fills of a theme colour.
 * @param {string} hex
 * @param {number} alpha
 */
export function withAlpha(hex, alpha) {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) {
    return hex;
  }
  const [r, g, b] = m.slice(1).map((h) => parseInt(h, 16));
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

/**
 * How a chart draws: live (a line per value), or over a range of rollups, where each line is
 * the average with a min–max band (stacked charts stack the averages) on a fixed time axis.
 * @typedef {{ span: [number, number] | null } | null} RangeView null: live
 */

/**
 * Whether a chart over `view` draws min–max bands.
 * @param {ChartSpec} spec
 * @param {RangeView} view
 */
const banded = (spec, view) => view != null && !spec.stacked;

/**
 * The columns a chart draws, in series order: its lines, then each banded line's min and max.
 * @param {ChartSpec} spec
 * @param {Line[]} lines
 * @param {RangeView} view
 */
export function seriesKeys(spec, lines, view) {
  const keys = lines.map((line) => line.key);
  return banded(spec, view)
    ? [...keys, ...keys.flatMap((key) => [bandKey('min', key), bandKey('max', key)])]
    : keys;
}

/**
 * The uPlot options of a chart drawing `lines`.
 * @param {ChartSpec} spec
 * @param {Line[]} lines
 * @param {() => ((number | null)[] | null)[]} raw the raw columns of stacked lines, by line
 * @param {number} width
 * @param {(name: string) => string} color a theme colour by custom property name
 * @param {RangeView} [view] a range of rollups; live when absent
 * @returns {Options}
 */
export function chartOptions(spec, lines, raw, width, color, view = null) {
  const bands = banded(spec, view);
  const text = color('--muted');
  const grid = color('--grid');
  /** @type {Axis} */
  const axis = {
    stroke: text,
    grid: { stroke: grid, width: 1 },
    ticks: { stroke: grid, width: 1 },
    font: '11px system-ui, sans-serif',
  };
  const series = lines.map((line, i) => {
    const stroke = color(`--series-${line.color}`);
    return {
      label: line.label,
      stroke,
      width: 1.5,
      dash: line.dash,
      fill: line.fill && !bands ? withAlpha(stroke, spec.stacked ? 0.55 : 0.18) : undefined,
      // Without a hovered point (idx null) the legend shows the latest value; stacked lines
      // hold running sums, so their legend shows the mode's own share from the raw column.
      /** @type {(u: UPlot, v: number | null, si: number, idx: number | null) => string} */
      value: (u, _v, si, idx) => {
        const values = (line.raw ? raw()[i] : u.data[si]) ?? [];
        return line.fmt(values[idx ?? values.length - 1]);
      },
    };
  });
  // A band's edges: faint lines, left out of the legend (the average's row speaks for them).
  const edges = bands
    ? lines.flatMap((line) =>
        ['min', 'max'].map((stat) => ({
          label: `${line.label} ${stat}`,
          class: 'band-edge',
          stroke: withAlpha(color(`--series-${line.color}`), 0.35),
          width: 1,
          dash: line.dash,
          points: { show: false },
        })),
      )
    : [];
  const span = view?.span;
  /** @type {(v: number | null) => string} */
  const when = view ? fmtWhen : fmtClock;
  return {
    width,
    height: CHART_HEIGHT,
    cursor: { drag: { x: false, y: false, setScale: false }, sync: { ...CURSOR_SYNC } },
    legend: { live: true },
    scales: {
      x: span ? { time: true, range: () => [span[0], span[1]] } : { time: true },
      y: { range: spec.range },
    },
    axes: [{ ...axis }, { ...axis, ...spec.axis }],
    series: [
      { value: (_u, v, _si, idx) => (idx == null ? 'latest' : when(v)) },
      ...series,
      ...edges,
    ],
    bands: bands
      ? // Line i's band fills between its max (series n+2i+2) and its min (n+2i+1).
        lines.map((line, i) => ({
          series: [lines.length + 2 * i + 2, lines.length + 2 * i + 1],
          fill: withAlpha(color(`--series-${line.color}`), 0.2),
        }))
      : // Band i fills between stacked line i+1 and the one below it: each mode is its own area.
        spec.stacked
        ? lines.slice(1).map((_, i) => ({ series: [i + 2, i + 1] }))
        : [],
  };
}
