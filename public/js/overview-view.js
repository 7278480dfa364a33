// @ts-check
// The overview's choices, without the DOM: the page a URL opens (the fleet, or one host's full
// view), the sort and filters the URL keeps (so back/forward and a reload keep them), and which
// cards show, in which order.

/** The orders the grid offers; the first is the default: the hosts that need someone first. */
export const SORT_KEYS = /** @type {const} */ (['alerts', 'name', 'cpu', 'memory']);
/** @typedef {(typeof SORT_KEYS)[number]} SortKey */

/**
 * @typedef {object} View
 * @property {SortKey} sort
 * @property {string} q shows the hosts whose name holds it (any case); '' shows all
 * @property {boolean} alertsOnly shows only the hosts with an active alert
 */

/** @type {View} */
export const DEFAULT_VIEW = { sort: 'alerts', q: '', alertsOnly: false };

/**
 * What a card is sorted and filtered by.
 * @typedef {object} HostEntry
 * @property {string} name
 * @property {number | null} cpu usage %, the newest
 * @property {number | null} memory usage %, the newest
 * @property {number} severity of its worst active alert: 2 critical, 1 warning, 0 none
 * @property {number} alerts how many are active
 */

// The URL's parameters: the overview's own, and the host view's (dropped when leaving it).
const SORT = 'sort';
const QUERY = 'q';
const ALERTS = 'alerts';
const HOST = 'host';
const HOST_VIEW_PARAMS = [HOST, 'range'];
const OVERVIEW_PARAMS = [SORT, QUERY, ALERTS];

/**
 * @param {unknown} key
 * @returns {key is SortKey}
 */
export const isSortKey = (key) => SORT_KEYS.some((k) => k === key);

/**
 * The host a page URL opens (`?host=web-1`); null for the overview.
 * @param {string} href
 */
export function hostFromUrl(href) {
  const host = new URL(href, 'http://localhost/').searchParams.get(HOST);
  return host ? host : null;
}

/**
 * The sort and filters a page URL asks for; the defaults for what it does not say.
 * @param {string} href
 * @returns {View}
 */
export function viewFromUrl(href) {
  const params = new URL(href, 'http://localhost/').searchParams;
  const sort = params.get(SORT);
  return {
    sort: isSortKey(sort) ? sort : DEFAULT_VIEW.sort,
    q: (params.get(QUERY) ?? '').trim(),
    alertsOnly: params.get(ALERTS) === 'only',
  };
}

/**
 * The overview's URL showing `view`: the host view's parameters dropped, the defaults left
 * out, every other part (`?kiosk`, …) kept.
 * @param {string} href
 * @param {View} view
 */
export function overviewUrl(href, view) {
  const url = new URL(href);
  for (const name of [...HOST_VIEW_PARAMS, ...OVERVIEW_PARAMS]) {
    url.searchParams.delete(name);
  }
  if (view.sort !== DEFAULT_VIEW.sort) {
    url.searchParams.set(SORT, view.sort);
  }
  if (view.q.trim()) {
    url.searchParams.set(QUERY, view.q.trim());
  }
  if (view.alertsOnly) {
    url.searchParams.set(ALERTS, 'only');
  }
  return url.toString();
}

/**
 * The URL of `host`'s full view: the overview's parameters dropped, every other part (a
 * range shown, `?kiosk`) kept.
 * @param {string} href
 * @param {string} host
 */
export function hostUrl(href, host) {
  const url = new URL(href);
  for (const name of OVERVIEW_PARAMS) {
    url.searchParams.delete(name);
  }
  url.searchParams.set(HOST, host);
  return url.toString();
}

/**
 * @param {string} a
 * @param {string} b
 */
const byName = (a, b) => a.localeCompare(b, undefined, { numeric: true });

/**
 * Larger first; a host without a figure last.
 * @param {number | null} a
 * @param {number | null} b
 */
const byFigure = (a, b) => (a === null ? (b === null ? 0 : 1) : b === null ? -1 : b - a);

/**
 * @param {HostEntry} a
 * @param {HostEntry} b
 * @param {SortKey} key
 */
function compare(a, b, key) {
  switch (key) {
    case 'alerts':
      return b.severity - a.severity || b.alerts - a.alerts;
    case 'name':
      return 0;
    case 'cpu':
      return byFigure(a.cpu, b.cpu);
    case 'memory':
      return byFigure(a.memory, b.memory);
  }
}

/**
 * @param {HostEntry} entry
 * @param {View} view
 */
export function shows(entry, view) {
  const q = view.q.trim().toLowerCase();
  return (!view.alertsOnly || entry.alerts > 0) && (!q || entry.name.toLowerCase().includes(q));
}

/**
 * The hosts `view` shows, in its order; ties go by name, so equal cards keep their places.
 * @param {Iterable<HostEntry>} entries
 * @param {View} view
 * @returns {HostEntry[]}
 */
export function arrange(entries, view) {
  return [...entries]
    .filter((entry) => shows(entry, view))
    .sort((a, b) => compare(a, b, view.sort) || byName(a.name, b.name));
}
