// @ts-check
// The GPU panels' logic, without the DOM: each GPU's figures as text (with what a figure its
// driver does not give means, and the word marking a level), the two charts each GPU gets over
// the timeline, and whether the process table needs its GPU memory column.

import { DASH, fmtBytes, fmtPct, fmtTemp, isNum } from './format.js';
import { gpuKey, isGpuIndex } from './timeline.js';

/** @typedef {import('./types.js').Gpu} Gpu */
/** @typedef {import('./types.js').Process} Process */
/** @typedef {import('./thresholds.js').Level} Level */
/** @typedef {import('./timeline.js').GpuFigure} GpuFigure */
/** @typedef {import('./chart-options.js').ChartSpec} ChartSpec */
/** @typedef {(metric: string, v: unknown) => Level} LevelOf */

/** What assistive technology reads for a figure the driver does not give (the page: a dash). */
export const NOT_REPORTED = 'not reported';
/** Why an Intel GPU has no utilisation: its driver gives it through perf alone, if allowed. */
export const NOT_EXPOSED = 'not exposed by the driver';

/** @type {Readonly<Record<string, string>>} */
const VENDOR_NAMES = { nvidia: 'NVIDIA', amd: 'AMD', intel: 'Intel' };

/**
 * The maker's name as people write it; what the sample says when it is none of the three.
 * @param {unknown} vendor
 */
export const vendorName = (vendor) =>
  typeof vendor === 'string' ? (VENDOR_NAMES[vendor] ?? vendor) : '';

/**
 * The GPUs to show, by index (a new array); an element without an index is none of them.
 * @param {Gpu[] | null | undefined} gpus the sample's group
 * @returns {Gpu[]}
 */
export function sortGpus(gpus) {
  return (Array.isArray(gpus) ? gpus : [])
    .filter((g) => isGpuIndex(g?.index))
    .sort((a, b) => a.index - b.index);
}

/**
 * One figure of a GPU as shown.
 * @typedef {object} Figure
 * @property {string} text the value; a dash when the driver does not give it
 * @property {string} spoken what assistive technology reads instead of the dash ('' when the
 *   value is shown, or when `sub` says why it is not)
 * @property {string} sub a muted line below: its limit, its maximum, or why there is no value
 * @property {Level} level from the alert rules on its metric path
 * @property {string} mark the level in words: colour is never the only sign
 * @property {string} value the reading itself, for data-value ('' when none)
 */

/**
 * @param {(v: unknown) => string} fmt
 * @param {number | null | undefined} v
 * @param {string} [sub]
 * @param {Level} [level]
 * @param {string} [why] the visible reason a null figure is null; '' reads "not reported"
 * @returns {Figure}
 */
function figure(fmt, v, sub = '', level = '', why = '') {
  const read = isNum(v);
  return {
    text: read ? fmt(v) : DASH,
    spoken: read || why ? '' : NOT_REPORTED,
    sub: read ? sub : why || sub,
    level,
    mark: level,
    value: read ? String(v) : '',
  };
}

/** @param {unknown} v watts, to a tenth */
export const fmtWatts = (v) => (isNum(v) ? `${v.toFixed(1)} W` : DASH);
/** @param {number} v watts, whole when whole (a limit: "150 W") */
const fmtLimit = (v) => `${Number(v.toFixed(1))} W`;
/** @param {unknown} v megahertz */
export const fmtMHz = (v) => (isNum(v) ? `${Math.round(v)} MHz` : DASH);

/**
 * The line under a figure that has a most (a power limit, a maximum clock): "of 150 W limit",
 * or "limit 150 W" when the figure itself is not read.
 * @param {unknown} v
 * @param {string} most
 * @param {string} what
 */
const ofMost = (v, most, what) => (isNum(v) ? `of ${most} ${what}` : `${what} ${most}`);

/** @param {Gpu} g */
function memoryLine(g) {
  const used = isNum(g.memoryUsed);
  const total = isNum(g.memoryTotal);
  if (used && total) {
    return `${fmtBytes(g.memoryUsed)} of ${fmtBytes(g.memoryTotal)}`;
  }
  return used ? `${fmtBytes(g.memoryUsed)} used` : total ? `${fmtBytes(g.memoryTotal)} in all` : '';
}

/**
 * @typedef {object} GpuFigures What a GPU's panel shows, as text.
 * @property {string} heading its panel's name, read aloud: "GPU 0: NVIDIA A10, NVIDIA"
 * @property {string} title "GPU 0"
 * @property {string} name its product name
 * @property {string} vendor its maker, as people write it
 * @property {Figure} utilization
 * @property {Figure} memory % of its total, the bytes below
 * @property {Figure} temperature
 * @property {Figure} power the limit below, when known
 * @property {Figure} fan
 * @property {Figure} clock its maximum below, when known
 */

/**
 * @param {Gpu} g
 * @param {LevelOf} level the rules' level of a value
 * @returns {GpuFigures}
 */
export function gpuFigures(g, level) {
  const limit = isNum(g.powerLimitW) ? g.powerLimitW : null;
  const max = isNum(g.clockMaxMHz) ? g.clockMaxMHz : null;
  const title = `GPU ${g.index}`;
  const name = typeof g.name === 'string' && g.name ? g.name : 'Unnamed GPU';
  const vendor = vendorName(g.vendor);
  return {
    heading: [`${title}: ${name}`, vendor].filter(Boolean).join(', '),
    title,
    name,
    vendor,
    utilization: figure(
      fmtPct,
      g.utilization,
      '',
      level('gpus[].utilization', g.utilization),
      g.vendor === 'intel' ? NOT_EXPOSED : '',
    ),
    memory: figure(
      fmtPct,
      g.memoryUsage,
      memoryLine(g),
      level('gpus[].memoryUsage', g.memoryUsage),
    ),
    temperature: figure(fmtTemp, g.temperatureC, '', level('gpus[].temperatureC', g.temperatureC)),
    power: figure(
      fmtWatts,
      g.powerW,
      limit === null ? '' : ofMost(g.powerW, fmtLimit(limit), 'limit'),
    ),
    fan: figure(fmtPct, g.fanPercent),
    clock: figure(fmtMHz, g.clockMHz, max === null ? '' : ofMost(g.clockMHz, fmtMHz(max), 'max')),
  };
}

// ---- charts ----

/**
 * One of a GPU's charts: a figure's column over the timeline.
 * @typedef {object} GpuChart
 * @property {GpuFigure} figure
 * @property {string} heading what the panel calls it
 * @property {ChartSpec} spec
 */

/** @type {import('uplot').Axis} */
const pctAxis = { size: 48, values: (_u, splits) => splits.map((v) => `${v} %`) };

/**
 * The charts of GPU `index`: utilisation and memory, in % (0–100) like the host's own.
 * @param {number} index
 * @returns {GpuChart[]}
 */
export function gpuCharts(index) {
  const key = (/** @type {GpuFigure} */ figure) => gpuKey(index, figure);
  return [
    {
      figure: 'utilization',
      heading: 'Utilisation',
      spec: {
        id: `gpu-${index}-utilization-chart`,
        label: `GPU ${index} utilisation over the last minutes`,
        axis: pctAxis,
        range: [0, 100],
        lines: () => [
          { key: key('utilization'), label: 'Utilisation', color: 1, fill: true, fmt: fmtPct },
        ],
      },
    },
    {
      figure: 'memoryUsage',
      heading: 'Memory',
      spec: {
        id: `gpu-${index}-memory-chart`,
        label: `GPU ${index} memory usage over the last minutes`,
        axis: pctAxis,
        range: [0, 100],
        lines: () => [
          { key: key('memoryUsage'), label: 'Memory', color: 3, fill: true, fmt: fmtPct },
        ],
      },
    },
  ];
}

/**
 * A chart's accessible name: live, or the range shown (as the host's charts name theirs).
 * @param {ChartSpec} spec
 * @param {string | null} rangeName null: live
 */
export const chartLabel = (spec, rangeName) =>
  rangeName === null
    ? spec.label
    : `${spec.label.replace(/ over the last minutes$/, '')}, ${rangeName}: averages with min–max bands`;

/**
 * What a chart's place shows: the chart when its column has a reading; else, live, nothing (the
 * figure above says why), and over a range a note that it has none.
 * @param {readonly (number | null)[] | undefined} column
 * @param {boolean} ranged
 * @returns {'chart' | 'none' | 'note'}
 */
export function chartShows(column, ranged) {
  if (column?.some(isNum)) {
    return 'chart';
  }
  return ranged ? 'note' : 'none';
}

/** The note of a chart over a range without readings. */
export const NO_RANGE_READINGS = 'No readings in this range';

// ---- processes ----

/**
 * Whether the process table shows GPU memory: some top process holds some.
 * @param {readonly Process[] | null | undefined} top
 */
export const showsGpuMemory = (top) => (top ?? []).some((p) => isNum(p?.gpuMemory));
