// @ts-check
// A host's last five minutes for its card: the four figures of each sample (CPU, memory, the
// fullest disk, network), kept by time, and the sparkline each draws. Pure: the line is traced
// into any object with moveTo/lineTo, so the geometry is tested without a browser.

import { isNum } from './format.js';

/** @typedef {import('./types.js').Sample} Sample */

/** What a sparkline spans at most, and at least (while the page has less, it stretches). */
export const WINDOW_MS = 5 * 60_000;
export const MIN_SPAN_MS = 30_000;
/** Points kept per host at most: five minutes at the fastest tick (250 ms). */
export const MAX_POINTS = 1200;
/** The figures of a card, in the order of `Series.values`. */
export const METRICS = /** @type {const} */ (['cpu', 'memory', 'disk', 'network']);
/** @typedef {(typeof METRICS)[number]} Metric */

// A step between two points longer than this many of the host's ticks breaks its line.
const GAP_STEPS = 3.5;

/**
 * @typedef {object} Readings A sample's figures for a card; null where it has none.
 * @property {number | null} cpu usage %
 * @property {number | null} memory usage %
 * @property {number | null} disk usage % of the fullest mount
 * @property {string | null} diskMount that mount
 * @property {number | null} network received + sent, bytes per second, every interface
 */

/**
 * @typedef {object} Series
 * @property {number[]} t each point's time (ms since the epoch), ascending
 * @property {number[][]} values per metric (METRICS' order), NaN where the sample had none
 * @property {number} step the host's tick as far as seen (ms); 0 before two points
 * @property {number} lastAt the time of the newest point appended (breaks aside)
 */

/**
 * @param {Sample} s
 * @returns {Readings}
 */
export function readings(s) {
  /** @type {{ mount: string | null, usage: number | null }} */
  let fullest = { mount: null, usage: null };
  for (const d of Array.isArray(s.disks) ? s.disks : []) {
    if (isNum(d?.usage) && (fullest.usage === null || d.usage > fullest.usage)) {
      fullest = { mount: typeof d.mount === 'string' ? d.mount : null, usage: d.usage };
    }
  }
  /** @type {number | null} */
  let network = null;
  for (const n of Array.isArray(s.network) ? s.network : []) {
    for (const rate of [n?.rxBytesPerSec, n?.txBytesPerSec]) {
      if (isNum(rate)) {
        network = (network ?? 0) + rate;
      }
    }
  }
  return {
    cpu: isNum(s.cpu?.usage) ? s.cpu.usage : null,
    memory: isNum(s.memory?.usage) ? s.memory.usage : null,
    disk: fullest.usage,
    diskMount: fullest.mount,
    network,
  };
}

/** @returns {Series} */
export const createSeries = () => ({ t: [], values: METRICS.map(() => []), step: 0, lastAt: 0 });

/**
 * Drops the points older than the window before `now`, and the oldest past MAX_POINTS.
 * @param {Series} series
 * @param {number} now
 */
export function trimSeries(series, now) {
  let drop = Math.max(0, series.t.length - MAX_POINTS);
  while (drop < series.t.length && (series.t[drop] ?? 0) < now - WINDOW_MS) {
    drop++;
  }
  if (drop > 0) {
    series.t.splice(0, drop);
    for (const v of series.values) {
      v.splice(0, drop);
    }
  }
}

/**
 * Adds a point; false when it is not newer than the newest (a replayed or history sample the
 * series already holds).
 * @param {Series} series
 * @param {number} t
 * @param {Readings} r
 */
export function appendPoint(series, t, r) {
  const last = series.t[series.t.length - 1];
  if (!Number.isFinite(t) || (last !== undefined && t <= last)) {
    return false;
  }
  if (series.lastAt > 0) {
    const gap = t - series.lastAt;
    // The shortest step seen, let grow slowly: a host whose tick lengthens is not gaps forever.
    series.step = series.step === 0 ? gap : Math.min(gap, series.step * 1.1);
  }
  series.lastAt = t;
  series.t.push(t);
  const figures = [r.cpu, r.memory, r.disk, r.network];
  series.values.forEach((v, i) => v.push(figures[i] ?? NaN));
  trimSeries(series, t);
  return true;
}

/**
 * Events were lost: a break in every line at `t`.
 * @param {Series} series
 * @param {number} t
 */
export function breakSeries(series, t) {
  const last = series.t[series.t.length - 1];
  if (last !== undefined && t > last) {
    series.t.push(t);
    for (const v of series.values) {
      v.push(NaN);
    }
  }
}

/**
 * The lowest and highest of a metric over the points held; null when it has none.
 * @param {Series} series
 * @param {number} index into METRICS
 * @returns {{ min: number, max: number } | null}
 */
export function rangeOf(series, index) {
  let min = Infinity;
  let max = -Infinity;
  for (const v of series.values[index] ?? []) {
    if (v < min) {
      min = v;
    }
    if (v > max) {
      max = v;
    }
  }
  return max >= min ? { min, max } : null;
}

/** The tops a network sparkline's scale steps through, per power of ten. */
const NICE_STEPS = [1, 2, 2.5, 5, 10];

/**
 * The top of a sparkline's scale: 100 for a percentage, so cards compare at a glance; for a
 * rate, the first of 1, 2, 2.5, 5, 10, 20 … at or above its highest, so a quiet host's line
 * still shows its shape (its figure tells how much it is).
 * @param {Metric} metric
 * @param {{ min: number, max: number } | null} range
 */
export function scaleTop(metric, range) {
  if (metric !== 'network') {
    return 100;
  }
  const highest = Math.max(1, range?.max ?? 1);
  const power = 10 ** Math.floor(Math.log10(highest));
  return (NICE_STEPS.find((n) => n * power >= highest) ?? 10) * power;
}

/**
 * @typedef {object} SparkBox
 * @property {number} width
 * @property {number} height
 * @property {number} now the time at the right edge (ms)
 * @property {number} span the time from the left edge to the right (ms)
 * @property {number} top the value at the top edge
 */

/**
 * The time every card's sparklines span: five minutes, or since the oldest point any host has
 * while that is shorter (a page just opened), but at least 30 s. One span for all, so cards
 * compare.
 * @param {Iterable<Series>} all
 * @param {number} now
 */
export function sparkSpan(all, now) {
  let oldest = now;
  for (const series of all) {
    const first = series.t[0];
    if (first !== undefined && first < oldest) {
      oldest = first;
    }
  }
  return Math.min(WINDOW_MS, Math.max(MIN_SPAN_MS, now - oldest));
}

/**
 * Traces a metric's line into `path`: time runs over `span` to `now` at the right edge,
 * 0 at the bottom, `top` at the top. A missing value or a gap of several ticks breaks the line;
 * a point on its own is a short flat stroke. Returns the number of points traced.
 * @param {{ moveTo(x: number, y: number): void, lineTo(x: number, y: number): void }} path
 * @param {Series} series
 * @param {number} index into METRICS
 * @param {SparkBox} box
 */
export function traceSpark(path, series, index, box) {
  const values = series.values[index] ?? [];
  const xOf = (/** @type {number} */ t) => box.width - ((box.now - t) / box.span) * box.width;
  const yOf = (/** @type {number} */ v) =>
    box.height - (Math.min(Math.max(v, 0), box.top) / box.top) * box.height;
  const maxGap = series.step > 0 ? series.step * GAP_STEPS : Infinity;
  let traced = 0;
  let run = 0; // points in the current stretch of line
  let lastX = 0;
  let lastY = 0;
  let lastT = -Infinity;
  for (let i = 0; i < series.t.length; i++) {
    const t = /** @type {number} */ (series.t[i]);
    const v = /** @type {number} */ (values[i]);
    if (run > 0 && (!Number.isFinite(v) || t - lastT > maxGap)) {
      if (run === 1) {
        path.lineTo(lastX + 1, lastY);
      }
      run = 0;
    }
    if (!Number.isFinite(v)) {
      continue;
    }
    lastX = xOf(t);
    lastY = yOf(v);
    lastT = t;
    if (run === 0) {
      path.moveTo(lastX, lastY);
    } else {
      path.lineTo(lastX, lastY);
    }
    run++;
    traced++;
  }
  if (run === 1) {
    path.lineTo(lastX + 1, lastY);
  }
  return traced;
}
