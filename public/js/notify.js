// @ts-check
// What the page does to reach a person about alerts, decided without touching the page: which
// alert events notify and with what, the notify button's state, the tab's title and favicon
// badge, and the critical banner. attention.js applies these to the DOM and the Notification API.

import { isId, compareIds } from './ids.js';
import { fmtMetric } from './format.js';

/** @typedef {import('./types.js').Alert} Alert */
/** @typedef {'fired' | 'escalated' | 'eased' | 'resolved'} AlertChangeKind */
/** @typedef {NotificationOptions & { renotify?: boolean }} AlertNotificationOptions */
/** @typedef {{ title: string, options: AlertNotificationOptions }} AlertNotification */
/**
 * @typedef {object} NotifyButton
 * @property {boolean} hidden the browser cannot notify
 * @property {boolean} disabled notifications are blocked for this site
 * @property {boolean} pressed notifications are on
 * @property {string} label
 * @property {string} hint
 */
/**
 * @typedef {object} Banner
 * @property {boolean} visible
 * @property {string} text names the critical alerts
 * @property {string[]} keys the critical alerts' keys: what Dismiss dismisses
 * @property {Set<string>} dismissed the dismissed keys still critical, to keep
 */

/** @param {Alert | undefined} a 2 critical, 1 any other active severity, 0 none or resolved */
const rank = (a) =>
  a == null || a.severity === 'resolved' ? 0 : a.severity === 'critical' ? 2 : 1;

/**
 * The newest event id a stream's `meta` frame says was retained when it connected: events up to
 * it are replayed (history, a resume, the alerts active then); later ones are live.
 * @param {unknown} meta
 * @returns {string | number | null} null when nothing was retained: every event is live
 */
export function replayedThrough(meta) {
  const retained = /** @type {{ retained?: { newest?: unknown } | null } | null} */ (meta)
    ?.retained;
  const newest = retained?.newest;
  return isId(newest) ? newest : null;
}

/**
 * Whether an event happened after its stream connected (a change to tell people about) rather
 * than being replayed. An alert frame without an id (the state sent on connect) carries the id
 * before it, so it counts as replayed too.
 * @param {unknown} eventId the frame's id as the browser reports it (lastEventId)
 * @param {string | number | null} through replayedThrough() of the connection
 */
export const isLiveEvent = (eventId, through) =>
  isId(eventId) && (through == null || compareIds(eventId, through) > 0);

/**
 * What an alert event changes, given the alert as the page held it before; null when nothing
 * that deserves a notification (the same severity again, or the resolve of an alert the page
 * never saw active).
 * @param {Alert | undefined} previous
 * @param {Alert} next
 * @returns {AlertChangeKind | null}
 */
export function alertChange(previous, next) {
  const before = rank(previous);
  const after = rank(next);
  if (after === 0) {
    return before > 0 ? 'resolved' : null;
  }
  if (before === 0) {
    return 'fired';
  }
  return after > before ? 'escalated' : after < before ? 'eased' : null;
}

/**
 * Whether a change becomes a desktop notification.
 * @param {AlertChangeKind | null} change
 * @param {boolean} live it arrived on the live stream (not replayed, not history)
 * @param {boolean} on the person turned notifications on and the browser allows them
 */
export const notifies = (change, live, on) => change !== null && live && on;

/**
 * "disk-full (mount=/) on web-1": the rule, its labels and its host.
 * @param {Alert} a
 */
export function alertName(a) {
  const labels = Object.entries(a.labels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  return `${a.rule}${labels ? ` (${labels})` : ''}${a.host ? ` on ${a.host}` : ''}`;
}

/**
 * One tag per alert: a later change of the same alert replaces its notification.
 * @param {Alert} a
 */
export const notificationTag = (a) =>
  `vitals ${JSON.stringify([a.host ?? '', a.rule, a.labels ?? {}])}`;

/**
 * The notification for a change: "critical: high-memory on web-1", the value and the
 * threshold; it alerts again (renotify) when it replaces one for a new or worse state.
 * @param {Alert} a
 * @param {AlertChangeKind} change
 * @returns {AlertNotification}
 */
export function notificationFor(a, change) {
  const metric = a.metric ?? 'value';
  const threshold = fmtMetric(a.metric, a.threshold);
  let body;
  if (change !== 'resolved') {
    body = `${metric} at ${fmtMetric(a.metric, a.value)}, threshold ${threshold}`;
  } else if (a.value == null) {
    body = `${metric} no longer available (threshold ${threshold})`;
  } else {
    body = `${metric} at ${fmtMetric(a.metric, a.value)}, back below ${threshold}`;
  }
  return {
    title: `${a.severity}: ${alertName(a)}`,
    options: {
      body,
      tag: notificationTag(a),
      renotify: change === 'fired' || change === 'escalated',
    },
  };
}

/**
 * Notifications are on: asked for, and allowed by the browser.
 * @param {string} permission Notification.permission
 * @param {boolean} wanted the person's stored choice
 */
export const isOn = (permission, wanted) => wanted && permission === 'granted';

/**
 * The "Notify me" toggle: hidden where the browser cannot notify, disabled and saying so where
 * it blocks this site, else pressed while notifications are on.
 * @param {boolean} supported
 * @param {string} permission Notification.permission: default, granted or denied
 * @param {boolean} wanted the person's stored choice
 * @returns {NotifyButton}
 */
export function notifyButton(supported, permission, wanted) {
  if (!supported) {
    return { hidden: true, disabled: true, pressed: false, label: 'Notify me', hint: '' };
  }
  if (permission === 'denied') {
    return {
      hidden: false,
      disabled: true,
      pressed: false,
      label: 'Notifications blocked',
      hint: 'The browser blocks notifications from this site; allow them in its site settings',
    };
  }
  const pressed = isOn(permission, wanted);
  return {
    hidden: false,
    disabled: false,
    pressed,
    label: 'Notify me',
    hint: pressed
      ? 'Desktop notifications are on; press to turn them off'
      : 'Show a desktop notification when an alert fires, changes or resolves',
  };
}

/**
 * The tab's title: "(2) web-1 · vitals" while alerts are active.
 * @param {string} base
 * @param {number} active
 */
export const pageTitle = (base, active) => (active > 0 ? `(${active}) ${base}` : base);

/**
 * The count on the favicon's badge: up to 9, then "9+"; empty when none are active.
 * @param {number} active
 */
export const badgeText = (active) => (active <= 0 ? '' : active > 9 ? '9+' : String(active));

/**
 * The worst severity among active alerts; null when none is active.
 * @param {Iterable<Alert>} alerts
 * @returns {'critical' | 'warning' | null}
 */
export function worstSeverity(alerts) {
  let worst = 0;
  for (const a of alerts) {
    worst = Math.max(worst, rank(a));
  }
  return worst === 2 ? 'critical' : worst === 1 ? 'warning' : null;
}

// public/favicon.svg, drawn again here under the badge.
const ICON =
  '<rect width="32" height="32" rx="6" fill="#1f6feb"/>' +
  '<polyline points="4,18 10,18 13,9 18,24 21,14 28,14" fill="none" stroke="#fff"' +
  ' stroke-width="3" stroke-linejoin="round" stroke-linecap="round"/>';

/**
 * The favicon with a badge of the active count: a red circle with white figures when one is
 * critical, an amber square with black figures for warnings only: the count and the shape say
 * it as well as the colour. Null when none is active (the plain favicon).
 * @param {number} active
 * @param {'critical' | 'warning' | null} severity
 * @returns {string | null} an SVG data URL
 */
export function faviconHref(active, severity) {
  const text = badgeText(active);
  if (!text || !severity) {
    return null;
  }
  const critical = severity === 'critical';
  const shape = critical
    ? '<circle cx="21" cy="21" r="10.5" fill="#cf222e" stroke="#fff" stroke-width="1.5"/>'
    : '<rect x="10.5" y="10.5" width="21" height="21" rx="3" fill="#f2b600" stroke="#fff" stroke-width="1.5"/>';
  const size = text.length > 1 ? 12 : 16;
  const figures =
    `<text x="21" y="21" dy="0.36em" text-anchor="middle" font-family="Arial,sans-serif"` +
    ` font-size="${size}" font-weight="700" fill="${critical ? '#fff' : '#000'}">${text}</text>`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">${ICON}${shape}${figures}</svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

/**
 * The critical banner: shown while a critical alert is active that was not dismissed, naming
 * every critical alert. A dismissal holds for the alerts dismissed while they stay critical;
 * a new critical alert (or one critical again) brings the banner back.
 * @param {Iterable<[string, Alert]>} alerts the active alerts by key, in the order shown
 * @param {ReadonlySet<string>} dismissed keys dismissed so far
 * @returns {Banner}
 */
export function bannerState(alerts, dismissed) {
  const critical = [...alerts].filter(([, a]) => a.severity === 'critical');
  const keys = critical.map(([key]) => key);
  const kept = new Set(keys.filter((key) => dismissed.has(key)));
  const names = critical.map(([, a]) => alertName(a)).join(', ');
  return {
    visible: keys.some((key) => !kept.has(key)),
    text:
      critical.length === 0
        ? ''
        : critical.length === 1
          ? `Critical alert: ${names}`
          : `${critical.length} critical alerts: ${names}`,
    keys,
    dismissed: kept,
  };
}
