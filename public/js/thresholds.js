// @ts-check
// Thresholds from the alert rules: a value at or above one is at level warning / critical.

/** @typedef {{ warning: number | null, critical: number | null }} Threshold */
/** @typedef {ReadonlyMap<string, Threshold>} Thresholds metric path → its lowest thresholds */
/** @typedef {'' | 'warning' | 'critical'} Level */

/**
 * @param {number | null} a
 * @param {unknown} b
 */
const lower = (a, b) => {
  const n = typeof b === 'number' ? b : null;
  return a == null ? n : n == null ? a : Math.min(a, n);
};

/**
 * The thresholds of `rules` (the body of api/v1/alerts). Several rules on one metric: the
 * lowest threshold of each level is the one that matters.
 * @param {unknown} rules
 * @returns {Thresholds}
 */
export function thresholdsFrom(rules) {
  /** @type {Map<string, Threshold>} */
  const thresholds = new Map();
  for (const rule of Array.isArray(rules) ? /** @type {unknown[]} */ (rules) : []) {
    const { metric, warning, critical } = /** @type {Record<string, unknown>} */ (rule ?? {});
    if (typeof metric !== 'string') {
      continue;
    }
    const t = thresholds.get(metric) ?? { warning: null, critical: null };
    thresholds.set(metric, {
      warning: lower(t.warning, warning),
      critical: lower(t.critical, critical),
    });
  }
  return thresholds;
}

/**
 * @param {Thresholds} thresholds
 * @param {string} metric
 * @param {unknown} v
 * @returns {Level}
 */
export function levelOf(thresholds, metric, v) {
  const t = thresholds.get(metric);
  if (!t || typeof v !== 'number' || !Number.isFinite(v)) {
    return '';
  }
  if (t.critical != null && v >= t.critical) {
    return 'critical';
  }
  if (t.warning != null && v >= t.warning) {
    return 'warning';
  }
  return '';
}
