// @ts-check
// Formatting for people: every function takes what a sample may hold (a number, null, absent)
// and returns text, a dash when there is nothing to show.

export const DASH = '—';
const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/**
 * A finite number (not NaN, not ±Infinity, not null).
 * @param {unknown} v
 * @returns {v is number}
 */
export const isNum = (v) => typeof v === 'number' && Number.isFinite(v);

/** @param {unknown} v a percentage, clamped to 0…100 (0 when not a number) */
export const clampPct = (v) => (isNum(v) ? Math.min(100, Math.max(0, v)) : 0);

/** @param {unknown} v */
export const fmtPct = (v) => (isNum(v) ? `${v.toFixed(1)} %` : DASH);

/** @param {unknown} v bytes, in powers of 1024 */
export function fmtBytes(v) {
  if (!isNum(v)) {
    return DASH;
  }
  let n = Math.abs(v);
  let i = 0;
  while (n >= 1024 && i < UNITS.length - 1) {
    n /= 1024;
    i++;
  }
  return i === 0 ? `${Math.round(v)} B` : `${(Math.sign(v) * n).toFixed(1)} ${UNITS[i]}`;
}

/** @param {unknown} v bytes per second */
export const fmtRate = (v) => (isNum(v) ? `${fmtBytes(v)}/s` : DASH);
/** @param {unknown} v operations per second */
export const fmtOps = (v) => (isNum(v) ? `${v.toFixed(v < 10 ? 1 : 0)}/s` : DASH);
/** @param {unknown} v a load average */
export const fmtLoad = (v) => (isNum(v) ? v.toFixed(2) : DASH);
/** @param {unknown} v degrees Celsius */
export const fmtTemp = (v) => (isNum(v) ? `${v.toFixed(1)} °C` : DASH);

/** @param {unknown} seconds */
export function fmtUptime(seconds) {
  if (!isNum(seconds)) {
    return DASH;
  }
  const s = Math.floor(seconds);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) {
    return `${d} d ${h} h`;
  }
  if (h > 0) {
    return `${h} h ${m} min`;
  }
  return `${m} min ${s % 60} s`;
}

/**
 * A timestamp as local time; with the date too when it is not today.
 * @param {unknown} iso
 * @param {Date} [now]
 */
export function fmtTime(iso, now = new Date()) {
  const date = new Date(typeof iso === 'string' || typeof iso === 'number' ? iso : NaN);
  if (Number.isNaN(date.getTime())) {
    return DASH;
  }
  const sameDay = date.toDateString() === now.toDateString();
  return sameDay ? date.toLocaleTimeString() : date.toLocaleString();
}

/** @param {unknown} seconds since the epoch: date and time, to the minute (a range's legend) */
export const fmtWhen = (seconds) =>
  isNum(seconds)
    ? new Date(seconds * 1000).toLocaleString(undefined, {
        dateStyle: 'medium',
        timeStyle: 'short',
      })
    : DASH;

/** @param {unknown} seconds since the epoch */
export const fmtClock = (seconds) =>
  isNum(seconds) ? new Date(seconds * 1000).toLocaleTimeString() : DASH;

/**
 * An alert's value in its metric's unit, as far as the metric path tells.
 * @param {unknown} metric
 * @param {unknown} v
 */
export function fmtMetric(metric, v) {
  if (!isNum(v)) {
    return DASH;
  }
  const path = typeof metric === 'string' ? metric : '';
  if (/usage$/i.test(path)) {
    return fmtPct(v);
  }
  if (/TempC$/.test(path)) {
    return fmtTemp(v);
  }
  if (/BytesPerSec$/.test(path)) {
    return fmtRate(v);
  }
  if (/(rss|total|used|available|Limit)$/i.test(path)) {
    return fmtBytes(v);
  }
  return String(Math.round(v * 100) / 100);
}

/**
 * A frame's JSON; null when it is malformed (skipped, not fatal).
 * @param {string} data
 * @returns {unknown}
 */
export function parse(data) {
  try {
    return /** @type {unknown} */ (JSON.parse(data));
  } catch {
    return null;
  }
}
