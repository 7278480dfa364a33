// @ts-check
// vitals dashboard: history on load, then one EventSource; uPlot charts over a bounded
// timeline. The page's state lives here, in one object, and goes explicitly to the modules
// that need it; they hold no state of their own beyond what each instance owns.
// Two views share the page at `/`: on a gateway, the overview of every host (overview.js), and
// a host's full view (`?host=<name>`), reached from a card with history.pushState so the
// browser's back button returns to the overview. A standalone vitals or an agent has one host:
// `/` opens straight onto it.

import { applyAlert, asAlert, createAlertStore } from './alerts.js';
import { getJson } from './api.js';
import { createAttention } from './attention.js';
import { ensureSignedIn } from './auth.js';
import { createCharts } from './charts.js';
import { breakSparks, clearSparks, createSparkHistory, recordContainers } from './containers.js';
import { $ } from './dom.js';
import { isNum } from './format.js';
import { createHosts, withHost } from './hosts.js';
import { compareIds, isId } from './ids.js';
import { startKiosk } from './kiosk.js';
import { createOverview } from './overview.js';
import { hostFromUrl, hostUrl } from './overview-view.js';
import { createAlertsPanel } from './panels/alerts.js';
import { createPanels } from './panels/index.js';
import { createRangeView } from './range-view.js';
import { setStatus } from './status.js';
import { createStream } from './stream.js';
import { startTheme } from './theme.js';
import { levelOf, thresholdsFrom } from './thresholds.js';
import {
  appendPoint,
  clearTimeline,
  createTimeline,
  pointValues,
  updateGpus,
  updateInterfaces,
} from './timeline.js';

/** @typedef {import('./types.js').Sample} Sample */
/** @typedef {import('./types.js').Alert} Alert */
/** @typedef {import('./charts.js').Charts} Charts */

const MAX_POINTS = 300; // per chart: five minutes at 1 Hz, so a page open for days stays small

const state = {
  timeline: createTimeline(MAX_POINTS),
  /** each container's recent CPU, for its sparkline */
  containerCpu: createSparkHistory(),
  thresholds: thresholdsFrom([]),
  alerts: createAlertStore(),
  /** @type {Sample | null} the newest sample shown */
  lastSample: null,
  intervalMs: 1000,
  /** true on a gateway, which serves many hosts */
  gateway: false,
  /** @type {string | null} the host= of sample requests; null outside gateway mode */
  followed: null,
  followSeq: 0, // bumped by follow(): the async steps of an earlier one stop
  /** the view shown: the overview or a host's; null before the first route */
  view: /** @type {'overview' | 'host' | null} */ (null),
};

const charts = createCharts(state.timeline);
const attention = createAttention();
const panels = createPanels(
  (metric, v) => levelOf(state.thresholds, metric, v),
  state.containerCpu,
  state.timeline,
  (title) => attention.setTitleBase(title),
);
const alertsPanel = createAlertsPanel();
const stream = createStream({
  url: (resumeFrom) =>
    withHost(
      'api/v1/stream',
      state.followed,
      resumeFrom == null ? {} : { lastEventId: resumeFrom },
    ),
  onMeta,
  onSample,
  onAlert,
  onGap,
  beforeRetry: ensureSignedIn,
});
// The picker (and its looks at the list) switch hosts only in a host's view: the overview
// shows them all. A pick stays in the URL, so a reload keeps it.
const hosts = createHosts(state, async (host) => {
  if (state.view === 'host' && host != null) {
    history.replaceState(history.state, '', hostUrl(location.href, host));
    await follow(host);
  }
});
const overview = createOverview({ open: openHost, attention });
const overviewLink = /** @type {HTMLAnchorElement} */ ($('overview-link'));
/** Every chart of the page: the host's, and each GPU's, which its panel keeps. */
const allCharts = {
  ...charts,
  /** @type {Charts['showRange']} */
  showRange(range, name) {
    charts.showRange(range, name);
    panels.gpus.showRange(range, name);
  },
  showLive() {
    charts.showLive();
    panels.gpus.showLive();
  },
  rebuild() {
    charts.rebuild();
    panels.gpus.rebuild();
  },
};
const rangeView = createRangeView(
  allCharts,
  () => state.followed,
  () => state.gateway && state.followed == null,
);

/**
 * Adds a sample to the timeline; false when it is none, another host's, or not newer.
 * @param {unknown} value
 * @returns {value is Sample}
 */
function ingest(value) {
  const s = /** @type {Sample | null} */ (value);
  if (!s || !isId(s.id)) {
    return false;
  }
  if (state.gateway && s.host !== state.followed) {
    return false; // a late frame from the host left behind
  }
  if (state.lastSample && compareIds(s.id, state.lastSample.id) <= 0) {
    return false;
  }
  const t = Date.parse(s.timestamp ?? '');
  appendPoint(state.timeline, (Number.isNaN(t) ? Date.now() : t) / 1000, pointValues(s));
  updateInterfaces(state.timeline, s);
  updateGpus(state.timeline, s);
  if ('containers' in s) {
    recordContainers(state.containerCpu, s.containers);
  }
  state.lastSample = s;
  return true;
}

/**
 * Takes an alert change into the store; on a gateway the page shows one host's alerts.
 * @param {unknown} value
 * @returns {{ alert: Alert, previous: Alert | undefined } | null} null: not one of the page's
 */
function takeAlert(value) {
  const a = asAlert(value);
  if (!a || (state.gateway && a.host !== state.followed)) {
    return null;
  }
  return { alert: a, previous: applyAlert(state.alerts, a) };
}

/** The active alerts, wherever the page shows them: the panel, the title, favicon and banner. */
function showAlerts() {
  alertsPanel.render(state.alerts);
  attention.render(state.alerts);
}

/** The rules (thresholds) and the active alerts as the server holds them now. */
async function loadAlerts() {
  const host = state.followed;
  try {
    const body = /** @type {{ rules?: unknown, active?: unknown }} */ (
      await getJson('api/v1/alerts')
    );
    if (host !== state.followed) {
      return; // another host was picked meanwhile: its own load follows
    }
    state.thresholds = thresholdsFrom(body.rules);
    state.alerts.byKey.clear();
    for (const a of Array.isArray(body.active) ? /** @type {unknown[]} */ (body.active) : []) {
      takeAlert(a);
    }
    showAlerts();
    if (state.lastSample) {
      panels.render(state.lastSample); // re-colour with the thresholds just learnt
    }
  } catch {
    // Without rules nothing is coloured; the stream still brings alert changes.
  }
}

/**
 * @param {unknown} value
 * @param {boolean} fresh a stream that did not resume starts with the alerts active now
 */
function onMeta(value, fresh) {
  const meta = /** @type {{ host?: unknown, intervalMs?: unknown }} */ (value);
  if (typeof meta.host === 'string' && meta.host && !state.gateway) {
    panels.header.showHost(meta.host); // a gateway's name is not a host's
  }
  if (isNum(meta.intervalMs)) {
    state.intervalMs = meta.intervalMs;
  }
  if (fresh) {
    state.alerts.byKey.clear();
    showAlerts();
  }
}

/** @param {unknown} value */
function onSample(value) {
  if (ingest(value)) {
    charts.refresh();
    panels.render(value);
  }
}

/**
 * @param {unknown} value
 * @param {boolean} live a change as it happens: it may notify (replayed ones never do)
 */
function onAlert(value, live) {
  const taken = takeAlert(value);
  if (taken) {
    attention.alertChanged(taken.previous, taken.alert, live);
  }
  showAlerts();
}

/** Events were lost: break the lines there, and re-read the alerts whose changes we missed. */
function onGap() {
  const last = state.timeline.x[state.timeline.x.length - 1];
  if (last !== undefined) {
    appendPoint(state.timeline, last + state.intervalMs / 1000, {});
    breakSparks(state.containerCpu);
    charts.refresh();
  }
  void loadAlerts();
}

/** Forgets every sample, id and alert: another host's ids must not mislead the dedupe. */
function resetSamples() {
  state.lastSample = null;
  stream.forget();
  clearTimeline(state.timeline);
  clearSparks(state.containerCpu);
  charts.refresh();
  panels.clear(state.followed);
  state.alerts.byKey.clear();
  showAlerts();
}

/**
 * Adds history's samples and shows the newest; returns the id to resume the stream from.
 * @param {{ samples?: unknown, newest?: unknown }} history
 */
function showHistory(history) {
  for (const s of Array.isArray(history.samples)
    ? /** @type {unknown[]} */ (history.samples)
    : []) {
    ingest(s);
  }
  if (state.lastSample) {
    charts.refresh();
    panels.render(state.lastSample);
  }
  return isId(history.newest) ? String(history.newest) : null;
}

/**
 * Shows `host` (null: the server's own samples) from scratch: history, alerts, then live.
 * @param {string | null} host
 */
async function follow(host) {
  const seq = ++state.followSeq;
  stream.close();
  setStatus('connecting');
  state.followed = host;
  if (host == null) {
    delete document.body.dataset.host;
  } else {
    document.body.dataset.host = host;
  }
  resetSamples();
  rangeView.reload(); // a range shown stays shown, now the host's
  if (state.gateway && host == null) {
    setStatus('connecting', 'Waiting for agents…');
    return;
  }
  /** @type {string | null} */
  let resumeFrom = null;
  try {
    const url = withHost('api/v1/metrics/history', host, { limit: String(MAX_POINTS) });
    const history = /** @type {{ samples?: unknown, newest?: unknown }} */ (await getJson(url));
    if (seq !== state.followSeq) {
      return; // another host was picked meanwhile
    }
    resumeFrom = showHistory(history);
  } catch {
    // No history: the stream alone fills the page.
  }
  // After history, so replay from history.newest re-applies any change the snapshot predates.
  await loadAlerts();
  if (seq === state.followSeq) {
    stream.open(resumeFrom);
  }
}

/** Leaves the host's view: its stream closed, nothing of it kept on show. */
function unfollow() {
  state.followSeq++;
  stream.close();
  state.followed = null;
  delete document.body.dataset.host;
  resetSamples();
}

/** @param {'overview' | 'host'} view */
function showView(view) {
  state.view = view;
  document.body.dataset.view = view; // css/overview.css shows one view's parts
  overviewLink.hidden = !(view === 'host' && state.gateway);
}

/** Shows what the URL asks for: on a gateway the overview, or the host it names. */
async function route() {
  const host = state.gateway ? hostFromUrl(location.href) : null;
  if (state.gateway && host == null) {
    if (state.view !== 'overview') {
      unfollow();
      showView('overview');
      overview.show();
    } else {
      overview.applyUrl(); // back or forward between sorts and filters
    }
    rangeView.sync();
    return;
  }
  const shown = state.view === 'host' && host === state.followed;
  if (state.view === 'overview') {
    overview.hide();
  }
  showView('host');
  overviewLink.href = overview.url();
  const following = shown ? null : follow(host);
  rangeView.sync();
  if (state.gateway) {
    // The picker shows the host followed: at once when listed, then from a fresh list.
    /** @type {HTMLSelectElement} */ ($('host-picker')).value = host ?? '';
    void hosts.load();
  }
  await following;
}

/**
 * A card was chosen: the host's full view, as a new history entry (back returns).
 * @param {string} host
 */
function openHost(host) {
  history.pushState(null, '', hostUrl(location.href, host));
  void route();
}

overviewLink.addEventListener('click', (e) => {
  if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) {
    return; // the browser's own: a new tab or window
  }
  e.preventDefault();
  history.pushState(null, '', overview.url());
  void route();
});

/** Wires the page, learns the hosts, fills from history, then goes live. */
async function start() {
  startKiosk(); // ?kiosk: the data alone, the screen kept awake
  startTheme(() => allCharts.rebuild()); // canvas colours come from the theme
  charts.start();
  rangeView.start();
  showAlerts();
  await ensureSignedIn();
  const chosen = await hosts.load();
  window.addEventListener('popstate', () => void route());
  if (chosen === undefined) {
    showView('host'); // unread list: as before hosts existed, no host=
    await follow(null);
  } else {
    await route();
  }
  hosts.schedule(chosen !== undefined);
}

void start();
