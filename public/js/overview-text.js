// @ts-check
// What a card says, in words: a figure in its unit, how long ago a host was heard from, its
// worst alert, and for screen readers each sparkline's span ("12.0 % to 80.0 % over the last
// 5 min"). Pure.

import { fmtPct, fmtRate } from './format.js';

/** @typedef {import('./overview-series.js').Metric} Metric */
/** @typedef {import('./overview-fleet.js').WorstAlert} WorstAlert */

/** What each figure is called on a card. */
export const METRIC_LABELS = /** @type {const} */ ({
  cpu: 'CPU',
  memory: 'Memory',
  disk: 'Disk',
  network: 'Network',
});

/**
 * A figure in its unit: % for usage, bytes per second for the network.
 * @param {Metric} metric
 * @param {number | null | undefined} v
 */
export const fmtFigure = (metric, v) => (metric === 'network' ? fmtRate(v) : fmtPct(v));

/**
 * A span of time, rounded down to its largest unit: "40 s", "3 min", "2 h", "5 d".
 * @param {number} ms
 */
export function fmtSpan(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) {
    return `${s} s`;
  }
  if (s < 3600) {
    return `${Math.floor(s / 60)} min`;
  }
  if (s < 86_400) {
    return `${Math.floor(s / 3600)} h`;
  }
  return `${Math.floor(s / 86_400)} d`;
}

/**
 * When a host was last heard from: "just now" within a few seconds while it reports (its card
 * then reads the same from one sample to the next), else "12 s ago", "3 min ago".
 * @param {number} lastTs its newest sample's time (ms); 0 when it has sent none the page knows
 * @param {number} now
 * @param {boolean} stale
 */
export function seenText(lastTs, now, stale) {
  if (!(lastTs > 0)) {
    return 'no sample yet';
  }
  const age = now - lastTs;
  return age < 5_000 && !stale ? 'seen just now' : `last seen ${fmtSpan(age)} ago`;
}

/**
 * A sparkline for screen readers: the lowest and highest over the time it covers, in whole
 * minutes (so the words change with the figures, not with every second of a new page).
 * @param {Metric} metric
 * @param {{ min: number, max: number } | null} range
 * @param {number} spanMs from its oldest point to now
 */
export function sparkText(metric, range, spanMs) {
  if (!range) {
    return '';
  }
  const minutes = Math.min(5, Math.round(spanMs / 60_000));
  const over = minutes <= 1 ? 'minute' : `${minutes} min`;
  return range.min === range.max
    ? `, steady over the last ${over}`
    : `, ${fmtFigure(metric, range.min)} to ${fmtFigure(metric, range.max)} over the last ${over}`;
}

/**
 * A host's worst alert, as its badge says it ("high-cpu", "disk-full (mount=/) +1 more"); the
 * severity is a word of its own beside it.
 * @param {WorstAlert | undefined} worst
 */
export function alertText(worst) {
  if (!worst) {
    return '';
  }
  const labels = Object.entries(worst.alert.labels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  const more = worst.count > 1 ? ` +${worst.count - 1} more` : '';
  return `${worst.alert.rule}${labels ? ` (${labels})` : ''}${more}`;
}

/**
 * The grid's summary: how many hosts, stale and alerting, and how many the filter shows.
 * @param {{ total: number, stale: number, alerting: number, shown: number }} counts
 */
export function summaryText({ total, stale, alerting, shown }) {
  if (total === 0) {
    return 'No host has reported yet: agents appear here with their first sample.';
  }
  const parts = [`${total} ${total === 1 ? 'host' : 'hosts'}`];
  if (alerting > 0) {
    parts.push(`${alerting} with alerts`);
  }
  if (stale > 0) {
    parts.push(`${stale} stale`);
  }
  const all = parts.join(', ');
  return shown === total ? all : `${all}; ${shown === 0 ? 'none' : shown} shown`;
}
