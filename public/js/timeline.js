// @ts-check
// The timeline: one x array (seconds) and one column per plotted value, all the same length,
// trimmed to `maxPoints`. Charts are views over named columns.

/** @typedef {import('./types.js').Sample} Sample */

/**
 * @typedef {object} Timeline
 * @property {number} maxPoints
 * @property {number[]} x ascending, in seconds
 * @property {Map<string, (number | null)[]>} cols by key, each as long as x
 * @property {string[]} ifaces interfaces with data in the window, sorted, for the network chart
 */

/** The CPU modes the stacked chart shows, bottom up. */
export const MODES = /** @type {const} */ (['user', 'system', 'iowait', 'steal']);

/**
 * @param {number} maxPoints per column: five minutes at 1 Hz keeps a page open for days small
 * @returns {Timeline}
 */
export const createTimeline = (maxPoints) => ({ maxPoints, x: [], cols: new Map(), ifaces: [] });

/** @param {Timeline} timeline */
export function clearTimeline(timeline) {
  timeline.x.length = 0;
  timeline.cols.clear();
  timeline.ifaces = [];
}

/**
 * @param {string} iface
 * @param {'rx' | 'tx'} dir
 */
export const netKey = (iface, dir) => `net\u0000${iface}\u0000${dir}`;

/** The figures of each GPU that are charted, each a column per GPU. */
export const GPU_FIGURES = /** @type {const} */ (['utilization', 'memoryUsage']);
/** @typedef {(typeof GPU_FIGURES)[number]} GpuFigure */

const GPU_PREFIX = 'gpu\u0000';

/**
 * The column of GPU `index`'s `figure`.
 * @param {number} index
 * @param {GpuFigure} figure
 */
export const gpuKey = (index, figure) => `${GPU_PREFIX}${index}\u0000${figure}`;

/**
 * A GPU's index: what tells it apart (two of a model share a name).
 * @param {unknown} v
 * @returns {v is number}
 */
export const isGpuIndex = (v) => Number.isInteger(v) && /** @type {number} */ (v) >= 0;

/** @param {unknown} v */
const num = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * The column `key`, created (back-filled with nulls: it did not exist before) when missing.
 * @param {Timeline} timeline
 * @param {string} key
 */
export function column(timeline, key) {
  let col = timeline.cols.get(key);
  if (!col) {
    col = new Array(timeline.x.length).fill(null);
    timeline.cols.set(key, col);
  }
  return col;
}

/**
 * Adds a point at `t` seconds; columns without a value get null (a break in the line).
 * @param {Timeline} timeline
 * @param {number} t
 * @param {Record<string, number | null>} values
 */
export function appendPoint(timeline, t, values) {
  for (const key of Object.keys(values)) {
    column(timeline, key);
  }
  const last = timeline.x[timeline.x.length - 1];
  // uPlot needs x ascending; a clock stepping back must not break the chart.
  timeline.x.push(last !== undefined && !(t > last) ? last + 0.001 : t);
  for (const [key, col] of timeline.cols) {
    col.push(values[key] ?? null);
  }
  if (timeline.x.length > timeline.maxPoints) {
    timeline.x.shift();
    for (const col of timeline.cols.values()) {
      col.shift();
    }
  }
}

/** The groups pointValues reads: all a range of rollups needs to ask for. */
export const CHART_GROUPS = /** @type {const} */ (['cpu', 'memory', 'diskIo', 'network', 'gpus']);

/**
 * The values one sample contributes to the charts.
 * @param {Sample} s
 * @returns {Record<string, number | null>}
 */
export function pointValues(s) {
  /** @type {Record<string, number | null>} */
  const v = {};
  if (s.cpu) {
    v['cpu.usage'] = num(s.cpu.usage);
    // uPlot has no stacking: plot running sums; a null mode (not reported) adds nothing.
    let sum = 0;
    for (const mode of MODES) {
      const share = num(s.cpu[mode]);
      v[`cpu.${mode}`] = share;
      sum += share ?? 0;
      v[`stack.${mode}`] = sum;
    }
  }
  if (s.memory) {
    v['mem.usage'] = num(s.memory.usage);
    v['swap.usage'] = num(s.memory.swapUsage);
  }
  if (s.diskIo) {
    v['io.read'] = num(s.diskIo.readBytesPerSec);
    v['io.write'] = num(s.diskIo.writeBytesPerSec);
  }
  for (const n of Array.isArray(s.network) ? s.network : []) {
    v[netKey(n.iface, 'rx')] = num(n.rxBytesPerSec);
    v[netKey(n.iface, 'tx')] = num(n.txBytesPerSec);
  }
  for (const g of Array.isArray(s.gpus) ? s.gpus : []) {
    if (isGpuIndex(g?.index)) {
      for (const figure of GPU_FIGURES) {
        v[gpuKey(g.index, figure)] = num(g[figure]);
      }
    }
  }
  return v;
}

/**
 * Interfaces come and go: adds new ones, drops those with nothing left in the window.
 * @param {Timeline} timeline
 * @param {Sample} sample the sample just appended
 */
export function updateInterfaces(timeline, sample) {
  const present = new Set(
    (Array.isArray(sample.network) ? sample.network : []).map((n) => n.iface),
  );
  /** @param {string} iface */
  const keep = (iface) =>
    present.has(iface) ||
    column(timeline, netKey(iface, 'rx')).some((v) => v != null) ||
    column(timeline, netKey(iface, 'tx')).some((v) => v != null);
  const next = [...new Set([...timeline.ifaces, ...present])].filter(keep).sort();
  for (const iface of timeline.ifaces) {
    if (!next.includes(iface)) {
      timeline.cols.delete(netKey(iface, 'rx'));
      timeline.cols.delete(netKey(iface, 'tx'));
    }
  }
  timeline.ifaces = next;
}

/**
 * GPUs come and go: drops the columns of those gone from `sample` with nothing left in the
 * window (one back within it keeps its line, with a break where it was missing).
 * @param {Timeline} timeline
 * @param {Sample} sample the sample just appended
 */
export function updateGpus(timeline, sample) {
  const present = new Set((Array.isArray(sample.gpus) ? sample.gpus : []).map((g) => g?.index));
  for (const [key, col] of timeline.cols) {
    const index = Number(key.split('\u0000')[1]);
    if (key.startsWith(GPU_PREFIX) && !present.has(index) && col.every((v) => v == null)) {
      timeline.cols.delete(key);
    }
  }
}
