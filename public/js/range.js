// @ts-check
// The time range the charts show: Live (the stream) or a span of rollups. Pure: the range is
// read from and written to URL strings, so a view can be shared and survives a reload.

import { CHART_GROUPS } from './timeline.js';

/** The ranges the picker offers, shortest first; 'live' is the stream. */
export const RANGES = /** @type {const} */ (['live', '1h', '6h', '24h', '7d', '30d', '1y']);

/** @typedef {(typeof RANGES)[number]} Range */

const PARAM = 'range';
const UNIT_SECONDS = { h: 3600, d: 86_400, y: 365 * 86_400 };

/**
 * @param {unknown} value
 * @returns {value is Range}
 */
export const isRange = (value) => RANGES.includes(/** @type {Range} */ (value));

/**
 * The range a page URL asks for (`?range=24h`, or `#range=24h`); 'live' when none or unknown.
 * @param {string} href
 * @returns {Range}
 */
export function rangeFromUrl(href) {
  const url = new URL(href, 'http://localhost/');
  const value =
    url.searchParams.get(PARAM) ?? new URLSearchParams(url.hash.slice(1)).get(PARAM) ?? '';
  const lower = value.trim().toLowerCase();
  return isRange(lower) ? lower : 'live';
}

/**
 * `href` showing `range`: `?range=` set (and dropped for live), every other part kept.
 * @param {string} href
 * @param {Range} range
 */
export function urlWithRange(href, range) {
  const url = new URL(href);
  if (range === 'live') {
    url.searchParams.delete(PARAM);
  } else {
    url.searchParams.set(PARAM, range);
  }
  const hash = new URLSearchParams(url.hash.slice(1));
  if (hash.has(PARAM)) {
    hash.delete(PARAM); // the query holds it now
    url.hash = hash.toString();
  }
  return url.toString();
}

/**
 * The range's length in seconds; 0 for live.
 * @param {Range} range
 */
export function rangeSeconds(range) {
  if (range === 'live') {
    return 0;
  }
  const unit = /** @type {'h' | 'd' | 'y'} */ (range.slice(-1));
  return Number(range.slice(0, -1)) * UNIT_SECONDS[unit];
}

/**
 * The rollups query of a range: the server chooses the step, and only the groups the charts
 * draw are asked for (a year of hours of every group is megabytes).
 * @param {Exclude<Range, 'live'>} range
 * @returns {Record<string, string>}
 */
export const rollupQuery = (range) => ({ from: `-${range}`, groups: CHART_GROUPS.join(',') });

/**
 * What a range's button says, and in words what it shows (its description; the charts' labels).
 * @param {Range} range
 */
export function rangeLabel(range) {
  if (range === 'live') {
    return { text: 'Live', name: 'Live' };
  }
  const n = range.slice(0, -1);
  const unit = { h: 'hour', d: 'day', y: 'year' }[/** @type {'h' | 'd' | 'y'} */ (range.slice(-1))];
  return { text: `${n} ${range.slice(-1)}`, name: `Last ${n} ${unit}${n === '1' ? '' : 's'}` };
}
