// @ts-check
// Rollups as a timeline: each point's {min, avg, max} become three columns per plotted value.
// The avg columns carry the live timeline's own keys (so every chart reads them unchanged),
// min and max ones are keyed by bandKey(). Pure.

import { appendPoint, createTimeline, pointValues } from './timeline.js';

/** @typedef {import('./timeline.js').Timeline} Timeline */
/** @typedef {import('./types.js').Sample} Sample */
/** @typedef {'min' | 'avg' | 'max'} Stat */

/**
 * The column of a value's `stat` (min or max; avg keeps the value's own key).
 * @param {'min' | 'max'} stat
 * @param {string} key
 */
export const bandKey = (stat, key) => `${stat}\u0000${key}`;

/**
 * @param {unknown} v
 * @returns {v is { min: unknown, avg: unknown, max: unknown }}
 */
const isStats = (v) =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  Object.keys(v).length === 3 &&
  'min' in v &&
  'avg' in v &&
  'max' in v;

/**
 * A rollup value with every {min, avg, max} replaced by its `stat`: a sample-like shape.
 * Identifying fields (iface, mount) stay as they are; null stays null.
 * @param {unknown} value
 * @param {Stat} stat
 * @returns {unknown}
 */
export function pickStat(value, stat) {
  if (isStats(value)) {
    return value[stat];
  }
  if (Array.isArray(value)) {
    return value.map((item) => pickStat(item, stat));
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, pickStat(v, stat)]));
  }
  return value;
}

/**
 * @typedef {object} RollupView
 * @property {Timeline} timeline x in seconds, a column per value and stat
 * @property {number} points the rollup points drawn
 * @property {[number, number] | null} span from and to in seconds, when the answer has them
 */

/**
 * The timeline of a rollups answer (`{tier, stepSeconds, from, to, points}`), for `host`
 * (null: every point, as on a server of one host). A bucket missing from the points breaks the
 * lines; interfaces are every one seen in the range, sorted, null where absent.
 * @param {unknown} answer
 * @param {string | null} host
 * @returns {RollupView}
 */
export function rollupView(answer, host) {
  const body =
    /** @type {{ stepSeconds?: unknown, from?: unknown, to?: unknown, points?: unknown }} */ (
      answer ?? {}
    );
  const step = typeof body.stepSeconds === 'number' && body.stepSeconds > 0 ? body.stepSeconds : 0;
  const points = (Array.isArray(body.points) ? /** @type {unknown[]} */ (body.points) : [])
    .map((p) => /** @type {{ timestamp?: unknown, host?: unknown } | null} */ (p))
    .filter((p) => p !== null && typeof p === 'object' && (host == null || p.host === host))
    .map((p) => ({ p, t: Date.parse(String(p?.timestamp)) / 1000 }))
    .filter(({ t }) => Number.isFinite(t))
    .sort((a, b) => a.t - b.t);
  const timeline = createTimeline(Infinity);
  /** @type {Set<string>} */
  const ifaces = new Set();
  for (const { p, t } of points) {
    const last = timeline.x[timeline.x.length - 1];
    if (step > 0 && last !== undefined && t - last > step * 1.5) {
      appendPoint(timeline, last + step, {}); // no bucket here: a break, not a straight line
    }
    const avg = /** @type {Sample} */ (pickStat(p, 'avg'));
    /** @type {Record<string, number | null>} */
    const values = pointValues(avg);
    for (const stat of /** @type {const} */ (['min', 'max'])) {
      for (const [key, v] of Object.entries(
        pointValues(/** @type {Sample} */ (pickStat(p, stat))),
      )) {
        values[bandKey(stat, key)] = v;
      }
    }
    appendPoint(timeline, t, values);
    for (const n of Array.isArray(avg.network) ? avg.network : []) {
      if (typeof n?.iface === 'string') {
        ifaces.add(n.iface);
      }
    }
  }
  timeline.ifaces = [...ifaces].sort();
  const from = Date.parse(String(body.from)) / 1000;
  const to = Date.parse(String(body.to)) / 1000;
  return {
    timeline,
    points: points.length,
    span: Number.isFinite(from) && Number.isFinite(to) && to > from ? [from, to] : null,
  };
}
