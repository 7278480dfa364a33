// @ts-check
// The overview, a gateway's `/`: a card per host (overview-grid.js), fed by ONE stream of every
// host's cpu, memory, disks and network (never a stream per host), the active alerts of every
// host, and the host list (api/v1/hosts on each (re)connect, then the stream's `hosts`
// events). This side keeps the data and marks which cards are due; the grid writes them.

import { alertKey, applyAlert, asAlert, createAlertStore } from './alerts.js';
import { getJson } from './api.js';
import { ensureSignedIn } from './auth.js';
import { $ } from './dom.js';
import { isId } from './ids.js';
import { createFleet, fleetNow, takeHostList, takeSample, worstAlerts } from './overview-fleet.js';
import { createGrid } from './overview-grid.js';
import { breakSeries, trimSeries } from './overview-series.js';
import { isSortKey, overviewUrl, viewFromUrl } from './overview-view.js';
import { createStream } from './stream.js';
import { levelOf, thresholdsFrom } from './thresholds.js';

/** @typedef {import('./overview-fleet.js').WorstAlert} WorstAlert */
/** @typedef {import('./overview-view.js').View} View */
/** @typedef {import('./attention.js').Attention} Attention */

const GROUPS = 'cpu,memory,disks,network';
// History fills the sparklines on load: five minutes of each host at 1 Hz while that fits one
// request (the most it returns: 3,600 samples, twelve hosts); past that the newest 3,600
// (18 s of 200 hosts, about 2.5 MB), and the stream draws the rest. More would take a request
// per host, which a fleet's page must not cost its gateway on every load.
const HISTORY_PER_HOST = 300;
const HISTORY_MAX = 3600;
const CLOCK_MS = 1000; // "last seen" moves on, a silent host's line slides left

/** @param {WorstAlert | undefined} w what a card shows of a host's alerts, as one string */
const alertSignature = (w) => (w ? `${w.severity} ${w.count} ${alertKey(w.alert)}` : '');

/**
 * @param {object} deps
 * @param {(host: string) => void} deps.open shows a host's full view
 * @param {Attention} deps.attention the tab's title and favicon, the critical banner
 */
export function createOverview({ open, attention }) {
  const controls = $('overview-controls');
  const filter = /** @type {HTMLInputElement} */ ($('overview-filter'));
  const sort = /** @type {HTMLSelectElement} */ ($('overview-sort'));
  const alertsOnly = /** @type {HTMLInputElement} */ ($('overview-alerts-only'));

  const fleet = createFleet();
  const alerts = createAlertStore();
  let thresholds = thresholdsFrom([]);
  /** @type {Map<string, WorstAlert>} */
  let worst = new Map();
  /** @type {View} */
  let view = viewFromUrl(location.href);
  let shown = false;
  let loadSeq = 0; // bumped by each load and by hide(): an earlier load's steps stop
  let hostEvents = 0; // `hosts` events taken: a list fetched meanwhile is older, dropped
  let clock = 0;

  const grid = createGrid({
    fleet,
    view: () => view,
    worst: () => worst,
    level: (metric, v) => levelOf(thresholds, metric, v),
    open,
  });

  function tick() {
    const now = fleetNow(fleet);
    for (const host of fleet.hosts.values()) {
      if (now - host.lastTs > 2 * CLOCK_MS) {
        // Not heard from in a while: its "last seen" moves on, its line slides left.
        trimSeries(host.series, now);
        grid.due(host.name);
      }
    }
    grid.resort();
  }

  /** @param {unknown} list */
  function takeList(list) {
    const { added, removed, changed } = takeHostList(fleet, list);
    if (added.length + removed.length + changed.length > 0) {
      grid.rearrange();
    }
    changed.forEach((host) => grid.due(host)); // stale, or back
    if (removed.length > 0) {
      // A forgotten host's alerts go with it.
      const gone = new Set(removed);
      for (const [key, a] of alerts.byKey) {
        if (a.host !== undefined && gone.has(a.host)) {
          alerts.byKey.delete(key);
        }
      }
      alertsChanged();
    }
  }

  function refreshHosts() {
    const at = hostEvents;
    getJson('api/v1/hosts')
      .then((body) => {
        if (at === hostEvents) {
          takeList(/** @type {{ hosts?: unknown }} */ (body).hosts);
        }
      })
      .catch(() => undefined); // the next (re)connect asks again
  }

  function alertsChanged() {
    const next = worstAlerts(alerts);
    for (const host of new Set([...worst.keys(), ...next.keys()])) {
      if (alertSignature(worst.get(host)) !== alertSignature(next.get(host))) {
        grid.wordsDue(host);
        grid.rearrange(); // the summary counts them; the sort or filter may too
      }
    }
    worst = next;
    if (shown) {
      attention.render(alerts);
    }
  }

  async function loadAlerts() {
    try {
      const body = /** @type {{ rules?: unknown, active?: unknown }} */ (
        await getJson('api/v1/alerts')
      );
      thresholds = thresholdsFrom(body.rules);
      alerts.byKey.clear();
      for (const a of Array.isArray(body.active) ? /** @type {unknown[]} */ (body.active) : []) {
        const alert = asAlert(a);
        if (alert) {
          applyAlert(alerts, alert);
        }
      }
      alertsChanged();
      grid.allDue(); // figures are judged by the rules just learnt
    } catch {
      // Without rules nothing is marked; the stream still brings alert changes.
    }
  }

  /** The hosts, the samples of the last minutes, the alerts, then live. */
  async function load() {
    const seq = ++loadSeq;
    stream.close();
    /** @type {string | null} */
    let resumeFrom = null;
    try {
      hostEvents++;
      const list = /** @type {{ hosts?: unknown }} */ (await getJson('api/v1/hosts'));
      if (seq !== loadSeq) {
        return;
      }
      takeList(list.hosts);
      const limit = Math.min(HISTORY_MAX, Math.max(1, fleet.hosts.size) * HISTORY_PER_HOST);
      const history = /** @type {{ samples?: unknown, newest?: unknown }} */ (
        await getJson(`api/v1/metrics/history?groups=${GROUPS}&limit=${limit}`)
      );
      if (seq !== loadSeq) {
        return;
      }
      const samples = Array.isArray(history.samples)
        ? /** @type {unknown[]} */ (history.samples)
        : [];
      for (const s of samples) {
        takeSample(fleet, s);
      }
      resumeFrom = isId(history.newest) ? String(history.newest) : null;
    } catch {
      // No history: the stream alone fills the cards.
    }
    // After history, so the replay from history.newest re-applies any change the list predates.
    await loadAlerts();
    if (seq === loadSeq) {
      grid.allDue();
      stream.open(resumeFrom);
    }
  }

  const stream = createStream({
    url: (resumeFrom) => {
      const query = new URLSearchParams({ groups: GROUPS });
      if (resumeFrom != null) {
        query.set('lastEventId', resumeFrom);
      }
      return `api/v1/stream?${query}`;
    },
    onMeta(_meta, fresh) {
      if (fresh) {
        alerts.byKey.clear(); // the stream sends the alerts active now
        alertsChanged();
      }
      refreshHosts(); // on every (re)connect: the `hosts` events missed meanwhile
    },
    onSample(value) {
      const name = /** @type {{ host?: unknown } | null} */ (value)?.host;
      const wasStale = typeof name === 'string' && fleet.hosts.get(name)?.stale === true;
      const taken = takeSample(fleet, value);
      if (taken?.added || (taken?.fresh && wasStale)) {
        grid.rearrange(); // a new card, or the summary's count of stale ones
      }
      if (taken?.fresh) {
        grid.due(taken.host.name);
      }
    },
    onAlert(value, live) {
      const a = asAlert(value);
      if (a) {
        attention.alertChanged(applyAlert(alerts, a), a, live);
        alertsChanged();
      }
    },
    onGap() {
      const now = fleetNow(fleet);
      for (const host of fleet.hosts.values()) {
        breakSeries(host.series, now);
      }
      void loadAlerts();
    },
    onHosts(value) {
      hostEvents++;
      takeList(/** @type {{ hosts?: unknown } | null} */ (value)?.hosts);
    },
    beforeRetry: ensureSignedIn,
  });

  // ---- the controls: the sort and filters, kept in the URL ----

  /** @param {View} next */
  function choose(next) {
    view = next;
    history.replaceState(history.state, '', overviewUrl(location.href, view));
    grid.rearrange(true);
  }

  /** The controls as the URL says (on show, back and forward). */
  function applyUrl() {
    view = viewFromUrl(location.href);
    filter.value = view.q;
    sort.value = view.sort;
    alertsOnly.checked = view.alertsOnly;
    grid.rearrange(true);
  }

  filter.addEventListener('input', () => choose({ ...view, q: filter.value }));
  sort.addEventListener('change', () => {
    if (isSortKey(sort.value)) {
      choose({ ...view, sort: sort.value });
    }
  });
  alertsOnly.addEventListener('change', () => choose({ ...view, alertsOnly: alertsOnly.checked }));
  controls.addEventListener('submit', (e) => e.preventDefault()); // Enter in the filter

  return {
    /** Shows the grid and goes live (again: from history, so a return fills the gap). */
    show() {
      shown = true;
      grid.show(true);
      applyUrl();
      attention.setTitleBase('All hosts · vitals');
      attention.render(alerts);
      clearInterval(clock);
      clock = window.setInterval(tick, CLOCK_MS);
      grid.allDue();
      void load();
    },
    /** Hides the grid and closes its stream: a host's full view has its own. */
    hide() {
      shown = false;
      grid.show(false);
      loadSeq++;
      stream.close();
      clearInterval(clock);
    },
    /** The URL changed (back, forward): the sort and filters it holds. */
    applyUrl,
    /** The overview's URL with the sort and filters chosen, for a link back to it. */
    url: () => overviewUrl(location.href, view),
  };
}

/** @typedef {ReturnType<typeof createOverview>} Overview */
