// @ts-check
// The overview's fleet, without the DOM: every host the gateway lists, with its last five
// minutes, whether it is stale, and its worst active alert. The host list (api/v1/hosts, then
// the stream's `hosts` events) decides which hosts there are; samples fill them.

import { appendPoint, createSeries, readings } from './overview-series.js';

/** @typedef {import('./types.js').Sample} Sample */
/** @typedef {import('./types.js').Alert} Alert */
/** @typedef {import('./alerts.js').AlertStore} AlertStore */
/** @typedef {import('./overview-series.js').Series} Series */
/** @typedef {import('./overview-series.js').Readings} Readings */
/** @typedef {import('./overview-view.js').HostEntry} HostEntry */

// A host missing from a list is kept if its newest sample is at most this old: a list read
// just before the host appeared must not drop it (the `hosts` event naming it follows within
// a second). Short, so that a host forgotten after a short VITALS_HOST_TTL goes at once.
const RECENT_MS = 2000;

/**
 * @typedef {object} FleetHost
 * @property {string} name
 * @property {Series} series
 * @property {Readings | null} latest the newest sample's figures
 * @property {number} lastTs the newest sample's time (ms since the epoch, its own clock); 0 unknown
 * @property {boolean} stale silent for three of its ticks, as the gateway says
 */

/**
 * @typedef {object} Fleet
 * @property {Map<string, FleetHost>} hosts by name
 * @property {number} offset the gateway's clock less this browser's (ms), from the host list
 */

/**
 * @typedef {object} WorstAlert A host's worst active alert.
 * @property {'critical' | 'warning'} severity
 * @property {Alert} alert the newest of that severity
 * @property {number} count every active alert of the host
 */

/** @returns {Fleet} */
export const createFleet = () => ({ hosts: new Map(), offset: 0 });

/**
 * The gateway's time now, in ms: what sparklines end at and ages count from.
 * @param {Fleet} fleet
 * @param {number} [localNow]
 */
export const fleetNow = (fleet, localNow = Date.now()) => localNow + fleet.offset;

/**
 * @param {Fleet} fleet
 * @param {string} name
 * @returns {FleetHost}
 */
function ensure(fleet, name) {
  let host = fleet.hosts.get(name);
  if (!host) {
    host = { name, series: createSeries(), latest: null, lastTs: 0, stale: false };
    fleet.hosts.set(name, host);
  }
  return host;
}

/**
 * Takes a host list (the body of api/v1/hosts or of a `hosts` event) as the fleet now: hosts
 * it names are added or updated, hosts it leaves out are forgotten (unless heard from just
 * now). Returns the names added, removed and changed, for the page to redraw.
 * @param {Fleet} fleet
 * @param {unknown} list
 * @param {number} [localNow]
 */
export function takeHostList(fleet, list, localNow = Date.now()) {
  const items = Array.isArray(list) ? /** @type {unknown[]} */ (list) : [];
  /** @type {Set<string>} */
  const named = new Set();
  /** @type {string[]} */
  const added = [];
  /** @type {string[]} */
  const changed = [];
  for (const item of items) {
    const { name, lastSeen, ageMs, stale } = /** @type {Record<string, unknown>} */ (item ?? {});
    if (typeof name !== 'string' || name === '') {
      continue;
    }
    const seen = typeof lastSeen === 'string' ? Date.parse(lastSeen) : NaN;
    if (Number.isFinite(seen) && typeof ageMs === 'number' && Number.isFinite(ageMs)) {
      fleet.offset = seen + ageMs - localNow; // the gateway's now, by its clock
    }
    named.add(name);
    if (!fleet.hosts.has(name)) {
      added.push(name);
    }
    const host = ensure(fleet, name);
    const wasStale = host.stale;
    const lastTs = Math.max(host.lastTs, Number.isFinite(seen) ? seen : 0);
    // A sample newer than the list's says the host is back, whatever the list thought.
    host.stale = stale === true && !(host.lastTs > seen);
    host.lastTs = lastTs;
    if (host.stale !== wasStale) {
      changed.push(name);
    }
  }
  /** @type {string[]} */
  const removed = [];
  const now = fleetNow(fleet, localNow);
  for (const [name, host] of fleet.hosts) {
    if (!named.has(name) && !(host.lastTs > now - RECENT_MS)) {
      fleet.hosts.delete(name);
      removed.push(name);
    }
  }
  return { added, removed, changed };
}

/**
 * Takes a sample into its host's series; null when it is none. A host not listed yet is
 * added: the list's next change will name it.
 * @param {Fleet} fleet
 * @param {unknown} value
 * @returns {{ host: FleetHost, added: boolean, fresh: boolean } | null} fresh: it is the
 *   host's newest (not one the series already held)
 */
export function takeSample(fleet, value) {
  const s = /** @type {Sample | null} */ (value);
  if (!s || typeof s !== 'object' || typeof s.host !== 'string' || s.host === '') {
    return null;
  }
  const t = Date.parse(s.timestamp ?? '');
  if (!Number.isFinite(t)) {
    return null;
  }
  const added = !fleet.hosts.has(s.host);
  const host = ensure(fleet, s.host);
  const r = readings(s);
  const fresh = appendPoint(host.series, t, r);
  if (fresh) {
    host.latest = r;
    host.lastTs = Math.max(host.lastTs, t);
    host.stale = false;
  }
  return { host, added, fresh };
}

/**
 * Each host's worst active alert: critical over warning, then the newest.
 * @param {AlertStore} store
 * @returns {Map<string, WorstAlert>}
 */
export function worstAlerts(store) {
  /** @type {Map<string, WorstAlert>} */
  const worst = new Map();
  const rank = (/** @type {Alert} */ a) => (a.severity === 'critical' ? 2 : 1);
  for (const a of store.byKey.values()) {
    if (typeof a.host !== 'string' || a.severity === 'resolved') {
      continue;
    }
    const held = worst.get(a.host);
    if (!held) {
      const severity = a.severity === 'critical' ? 'critical' : 'warning';
      worst.set(a.host, { severity, alert: a, count: 1 });
      continue;
    }
    held.count++;
    const newer = (Date.parse(a.since ?? '') || 0) >= (Date.parse(held.alert.since ?? '') || 0);
    if (rank(a) > rank(held.alert) || (rank(a) === rank(held.alert) && newer)) {
      held.alert = a;
      held.severity = a.severity === 'critical' ? 'critical' : 'warning';
    }
  }
  return worst;
}

/**
 * What the grid sorts and filters a host by.
 * @param {FleetHost} host
 * @param {WorstAlert | undefined} worst
 * @returns {HostEntry}
 */
export const entryOf = (host, worst) => ({
  name: host.name,
  cpu: host.latest?.cpu ?? null,
  memory: host.latest?.memory ?? null,
  severity: worst ? (worst.severity === 'critical' ? 2 : 1) : 0,
  alerts: worst?.count ?? 0,
});
