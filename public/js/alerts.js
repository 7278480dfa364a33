// @ts-check
// The active alerts: keyed by host + rule + labels; "resolved" removes one. Newest first.

/** @typedef {import('./types.js').Alert} Alert */
/** @typedef {Alert & { seq: number }} HeldAlert */
/** @typedef {{ byKey: Map<string, HeldAlert>, seq: number }} AlertStore seq breaks ties of `since` */

/** @returns {AlertStore} */
export const createAlertStore = () => ({ byKey: new Map(), seq: 0 });

/** @param {Alert} a */
export const alertKey = (a) => `${a.host}\u0000${a.rule}\u0000${JSON.stringify(a.labels ?? {})}`;

/**
 * The alert in a parsed frame or list entry; null when it is none.
 * @param {unknown} value
 * @returns {Alert | null}
 */
export function asAlert(value) {
  const a = /** @type {Partial<Alert> | null} */ (value);
  return a != null && typeof a === 'object' && typeof a.rule === 'string'
    ? /** @type {Alert} */ (a)
    : null;
}

/**
 * @param {AlertStore} store
 * @param {Alert} a
 * @returns {HeldAlert | undefined} the alert as the store held it before
 */
export function applyAlert(store, a) {
  const key = alertKey(a);
  const previous = store.byKey.get(key);
  if (a.severity === 'resolved') {
    store.byKey.delete(key);
  } else {
    store.byKey.set(key, { ...a, seq: ++store.seq });
  }
  return previous;
}

/**
 * [key, alert] pairs, the newest first.
 * @param {AlertStore} store
 * @returns {[string, HeldAlert][]}
 */
export const sortedAlerts = (store) =>
  [...store.byKey.entries()].sort(
    ([, a], [, b]) =>
      (Date.parse(b.since ?? '') || 0) - (Date.parse(a.since ?? '') || 0) || b.seq - a.seq,
  );
