// @ts-check
// The Containers panel's logic, without the DOM: the sort, each row's figures and marks, and
// a CPU sparkline per container drawn from a short history kept per container id.

import { DASH, fmtBytes, fmtPct, fmtRate, isNum } from './format.js';

/** @typedef {import('./types.js').ContainerStats} ContainerStats */
/** @typedef {import('./thresholds.js').Level} Level */

/** The columns the table sorts by. */
export const SORT_KEYS = /** @type {const} */ ([
  'name',
  'cpu',
  'memory',
  'network',
  'disk',
  'pids',
]);
/** @typedef {(typeof SORT_KEYS)[number]} SortKey */
/** @typedef {'ascending' | 'descending'} SortDirection as aria-sort names it */
/** @typedef {{ key: SortKey, direction: SortDirection }} Sort */

/** @type {Sort} the busiest first */
export const DEFAULT_SORT = { key: 'cpu', direction: 'descending' };

/** Samples per sparkline: a minute at 1 Hz. */
export const SPARK_POINTS = 60;

/** % of a limit from which a figure is marked even when no rule watches it. */
export const NEAR_LIMIT = 90;

/** @param {unknown} key */
const isSortKey = (key) => SORT_KEYS.some((k) => k === key);

/**
 * A sort as remembered (`cpu:descending`); the default when it is none.
 * @param {unknown} text
 * @returns {Sort}
 */
export function parseSort(text) {
  const [key, direction] = typeof text === 'string' ? text.split(':') : [];
  if (isSortKey(key) && (direction === 'ascending' || direction === 'descending')) {
    return { key: /** @type {SortKey} */ (key), direction };
  }
  return DEFAULT_SORT;
}

/** @param {Sort} sort */
export const sortText = (sort) => `${sort.key}:${sort.direction}`;

/**
 * The sort after a click on `key`'s header: the same column turns around; another starts
 * with its most telling end (names from A, figures from the largest).
 * @param {Sort} sort
 * @param {SortKey} key
 * @returns {Sort}
 */
export function nextSort(sort, key) {
  if (sort.key === key) {
    return { key, direction: sort.direction === 'ascending' ? 'descending' : 'ascending' };
  }
  return { key, direction: key === 'name' ? 'ascending' : 'descending' };
}

/**
 * What people call a container: its name, else its id.
 * @param {ContainerStats} c
 */
export const containerLabel = (c) => (typeof c.name === 'string' && c.name ? c.name : c.id);

/**
 * The sum of the figures that are numbers; null when none is.
 * @param {...unknown} values
 */
function sum(...values) {
  const numbers = values.filter(isNum);
  return numbers.length > 0 ? numbers.reduce((a, b) => a + b, 0) : null;
}

/**
 * The value a container sorts by in column `key`; null sorts last whatever the direction.
 * @param {ContainerStats} c
 * @param {SortKey} key
 * @returns {string | number | null}
 */
export function sortValue(c, key) {
  switch (key) {
    case 'name':
      return containerLabel(c);
    case 'cpu':
      return isNum(c.cpu) ? c.cpu : null;
    case 'memory':
      return isNum(c.memory) ? c.memory : null;
    case 'network':
      return c.networkFrom ? null : sum(c.rxBytesPerSec, c.txBytesPerSec);
    case 'disk':
      return sum(c.readBytesPerSec, c.writeBytesPerSec);
    case 'pids':
      return isNum(c.pids) ? c.pids : null;
  }
}

/**
 * @param {string | number} a
 * @param {string | number} b
 */
const compare = (a, b) =>
  typeof a === 'number' && typeof b === 'number'
    ? a - b
    : String(a).localeCompare(String(b), undefined, { numeric: true });

/**
 * The containers in `sort`'s order, a new array. Ties go by name then id, so equal rows keep
 * their places from one sample to the next whatever order the host lists them in.
 * @param {readonly ContainerStats[]} containers
 * @param {Sort} sort
 */
export function sortContainers(containers, sort) {
  const sign = sort.direction === 'ascending' ? 1 : -1;
  return [...containers].sort((a, b) => {
    const va = sortValue(a, sort.key);
    const vb = sortValue(b, sort.key);
    if (va !== null && vb !== null) {
      const order = sign * compare(va, vb);
      if (order !== 0) {
        return order;
      }
    } else if (va !== vb) {
      return va === null ? 1 : -1;
    }
    return compare(containerLabel(a), containerLabel(b)) || compare(a.id, b.id);
  });
}

/** @param {number} cores */
const fmtCores = (cores) => `${Number(cores.toFixed(2))} ${cores === 1 ? 'core' : 'cores'}`;

/**
 * A figure's level and the word that marks it besides its colour: the rules' level, at least
 * a warning at NEAR_LIMIT % of its limit ("near limit" when no rule says more).
 * @param {Level} ruleLevel
 * @param {number | null} pctOfLimit
 * @returns {{ level: Level, mark: string }}
 */
export function markOf(ruleLevel, pctOfLimit) {
  if (ruleLevel === '' && isNum(pctOfLimit) && pctOfLimit >= NEAR_LIMIT) {
    return { level: 'warning', mark: 'near limit' };
  }
  return { level: ruleLevel, mark: ruleLevel };
}

/**
 * Its CPU as % of its limit; null without a limit or a reading.
 * @param {ContainerStats} c
 */
export const cpuOfLimit = (c) =>
  isNum(c.cpu) && isNum(c.cpuLimit) && c.cpuLimit > 0 ? c.cpu / c.cpuLimit : null;

/**
 * @typedef {object} RowFigures What a row shows, as text.
 * @property {string} label its name, else its id
 * @property {boolean} named false: the label is the id (shown monospace)
 * @property {string} detail its image; '' when unknown
 * @property {string} runtime
 * @property {string} cpu % of one core
 * @property {string} cpuLimit its share of the limit ("22.5 % of 2 cores"); '' when unlimited
 * @property {{ level: Level, mark: string }} cpuMark
 * @property {string} memory
 * @property {string} memoryLimit its share of the limit ("19.5 % of 512.0 MiB"); '' when unlimited
 * @property {{ level: Level, mark: string }} memoryMark
 * @property {string | null} sharedWith whose network namespace it shares (its traffic shows there)
 * @property {string} rx
 * @property {string} tx
 * @property {string} read
 * @property {string} write
 * @property {string} pids
 */

/**
 * @param {ContainerStats} c
 * @param {ReadonlyMap<string, string>} labels every listed container's label by id (for networkFrom)
 * @param {(metric: string, v: unknown) => Level} level the rules' level of a value
 * @returns {RowFigures}
 */
export function rowFigures(c, labels, level) {
  const label = containerLabel(c);
  const ofLimit = cpuOfLimit(c);
  const cpuLimit = isNum(c.cpuLimit)
    ? ofLimit === null
      ? `limit ${fmtCores(c.cpuLimit)}`
      : `${fmtPct(ofLimit)} of ${fmtCores(c.cpuLimit)}`
    : '';
  const memoryUsage = isNum(c.memoryUsage) ? c.memoryUsage : null;
  const memoryLimit = isNum(c.memoryLimit)
    ? memoryUsage === null
      ? `limit ${fmtBytes(c.memoryLimit)}`
      : `${fmtPct(memoryUsage)} of ${fmtBytes(c.memoryLimit)}`
    : '';
  const shared = typeof c.networkFrom === 'string' && c.networkFrom !== '';
  return {
    label,
    named: label !== c.id,
    detail: typeof c.image === 'string' ? c.image : '',
    runtime: typeof c.runtime === 'string' ? c.runtime : '',
    cpu: fmtPct(c.cpu),
    cpuLimit,
    cpuMark: markOf(level('containers[].cpu', c.cpu), ofLimit),
    memory: fmtBytes(c.memory),
    memoryLimit,
    memoryMark: markOf(level('containers[].memoryUsage', memoryUsage), memoryUsage),
    sharedWith: shared ? (labels.get(c.networkFrom ?? '') ?? c.networkFrom ?? null) : null,
    rx: shared ? DASH : fmtRate(c.rxBytesPerSec),
    tx: shared ? DASH : fmtRate(c.txBytesPerSec),
    read: fmtRate(c.readBytesPerSec),
    write: fmtRate(c.writeBytesPerSec),
    pids: isNum(c.pids) ? String(c.pids) : DASH,
  };
}

// ---- sparklines ----

/**
 * Each container's last CPU readings (% of one core, null where there was none), oldest
 * first, at most `capacity` each; a container gone from a sample is dropped with its line.
 * @typedef {{ capacity: number, byId: Map<string, (number | null)[]> }} SparkHistory
 */

/**
 * @param {number} [capacity]
 * @returns {SparkHistory}
 */
export const createSparkHistory = (capacity = SPARK_POINTS) => ({ capacity, byId: new Map() });

/**
 * @param {SparkHistory} history
 * @param {string} id
 * @param {number | null} value
 */
function push(history, id, value) {
  let values = history.byId.get(id);
  if (!values) {
    values = [];
    history.byId.set(id, values);
  }
  values.push(value);
  if (values.length > history.capacity) {
    values.shift();
  }
}

/**
 * Adds one sample's readings; drops the containers it does not list.
 * @param {SparkHistory} history
 * @param {ContainerStats[] | null | undefined} containers the sample's group
 */
export function recordContainers(history, containers) {
  const list = Array.isArray(containers) ? containers : [];
  const present = new Set(list.map((c) => c.id));
  for (const id of history.byId.keys()) {
    if (!present.has(id)) {
      history.byId.delete(id);
    }
  }
  for (const c of list) {
    push(history, c.id, isNum(c.cpu) ? c.cpu : null);
  }
}

/**
 * Samples were lost: a break in every line.
 * @param {SparkHistory} history
 */
export function breakSparks(history) {
  for (const id of history.byId.keys()) {
    push(history, id, null);
  }
}

/** @param {SparkHistory} history */
export const clearSparks = (history) => history.byId.clear();

/** The tops a sparkline's scale steps through, per power of ten. */
const NICE_STEPS = [1, 2, 2.5, 5, 10];

/**
 * The top of a sparkline's scale: the first of 1, 2, 2.5, 5, 10, 20 … % at or above its
 * highest reading, so a quiet container's line still shows its shape (its figure, beside it,
 * tells how much it is) and the scale does not jump with every small change.
 * @param {readonly (number | null)[]} values
 */
export function sparkTop(values) {
  let highest = 1;
  for (const v of values) {
    if (v !== null && v > highest) {
      highest = v;
    }
  }
  const power = 10 ** Math.floor(Math.log10(highest));
  const step = NICE_STEPS.find((n) => n * power >= highest) ?? 10;
  return step * power;
}

/** @param {number} n */
const round = (n) => String(Math.round(n * 100) / 100);

/**
 * The SVG path of a sparkline in a box `capacity - 1` wide (one unit per sample, the newest
 * at the right edge) and `height` high (0 at the bottom, `top` at the top). A null breaks the
 * line; a point on its own is a dot (`h0`, drawn with round caps).
 * @param {readonly (number | null)[]} values oldest first
 * @param {number} capacity
 * @param {number} height
 * @param {number} top
 */
export function sparkPath(values, capacity, height, top) {
  const start = capacity - values.length;
  let d = '';
  let run = 0; // points in the current stretch of line
  values.forEach((v, i) => {
    if (v === null) {
      d += run === 1 ? 'h0' : '';
      run = 0;
      return;
    }
    const y = height - (Math.min(Math.max(v, 0), top) / top) * height;
    d += `${run === 0 ? 'M' : 'L'}${round(start + i)},${round(y)}`;
    run++;
  });
  return run === 1 ? `${d}h0` : d;
}
