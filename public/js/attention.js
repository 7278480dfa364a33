// @ts-check
// Reaching a person who is not looking at the Alerts panel: desktop notifications (opt-in with
// the panel's "Notify me" button: permission is asked for on that click, never on load), the
// number of active alerts in the tab's title and favicon, and a banner while a critical alert
// is active. notify.js decides; this applies it to the page and the Notification API.

import { sortedAlerts } from './alerts.js';
import { $, setAttr, setText } from './dom.js';
import {
  alertChange,
  bannerState,
  faviconHref,
  isOn,
  notificationFor,
  notifies,
  notifyButton,
  pageTitle,
  worstSeverity,
} from './notify.js';

/** @typedef {import('./types.js').Alert} Alert */
/** @typedef {import('./alerts.js').AlertStore} AlertStore */

const NOTIFY_KEY = 'vitals.notify';

// The Notification API exists in secure contexts only (HTTPS, or loopback); elsewhere, and in
// browsers without it, the button stays hidden.
const supported = typeof Notification === 'function' && window.isSecureContext;

/** @returns {string} default, granted or denied */
const permission = () => (supported ? Notification.permission : 'default');

/** @returns {boolean} the person turned notifications on (in this browser) */
function wanted() {
  try {
    return localStorage.getItem(NOTIFY_KEY) === 'on';
  } catch {
    return false; // storage can be disabled
  }
}

/** @param {boolean} on */
function storeWanted(on) {
  try {
    localStorage.setItem(NOTIFY_KEY, on ? 'on' : 'off');
  } catch {
    // not remembered
  }
}

/**
 * Asks the browser for the permission (a prompt only when the person has not decided yet);
 * older Safari answers through a callback instead of a promise.
 * @returns {Promise<string>}
 */
const askPermission = () =>
  new Promise((resolve) => {
    const answer = /** @type {Promise<string> | undefined} */ (
      Notification.requestPermission(resolve)
    );
    answer?.then(resolve, () => resolve(Notification.permission));
  });

export function createAttention() {
  const button = /** @type {HTMLButtonElement} */ ($('notify-toggle'));
  const banner = $('critical-banner');
  const bannerText = $('critical-banner-text');
  const dismiss = $('critical-banner-dismiss');
  const list = $('alerts');
  const icon = document.querySelector('link[rel="icon"]');
  const plainIcon = icon?.getAttribute('href') ?? 'favicon.svg';
  let titleBase = document.title;
  let active = 0;
  /** @type {[string, Alert][]} the active alerts as last rendered */
  let shown = [];
  /** @type {Set<string>} critical alerts whose banner was dismissed */
  let dismissed = new Set();
  /** @type {string[]} the critical alerts the banner names */
  let bannerKeys = [];

  function renderButton() {
    const view = notifyButton(supported, permission(), wanted());
    button.hidden = view.hidden;
    button.disabled = view.disabled;
    setText(button, view.label);
    setAttr(button, 'aria-pressed', String(view.pressed));
    setAttr(button, 'title', view.hint);
  }

  function renderTitle() {
    const title = pageTitle(titleBase, active);
    if (document.title !== title) {
      document.title = title;
    }
  }

  function renderBanner() {
    const view = bannerState(shown, dismissed);
    dismissed = view.dismissed;
    bannerKeys = view.keys;
    setText(bannerText, view.text);
    banner.hidden = !view.visible;
  }

  button.addEventListener('click', () => {
    if (isOn(permission(), wanted())) {
      storeWanted(false);
      renderButton();
      return;
    }
    // Called in the click itself: browsers grant a prompt only to a person's gesture.
    void askPermission().then((answer) => {
      if (answer === 'granted') {
        storeWanted(true);
      }
      renderButton();
    });
  });

  dismiss.addEventListener('click', () => {
    const hadFocus = banner.contains(document.activeElement);
    dismissed = new Set([...dismissed, ...bannerKeys]);
    renderBanner();
    if (hadFocus) {
      list.focus(); // not lost to the page's top: the alerts themselves are next
    }
  });

  // Permission changed in the browser's site settings while the page is open.
  if (supported) {
    navigator.permissions
      ?.query({ name: 'notifications' })
      .then((status) => status.addEventListener('change', renderButton))
      .catch(() => undefined);
  }
  renderButton();

  return {
    /**
     * The title without the count (the header's "web-1 · vitals").
     * @param {string} base
     */
    setTitleBase(base) {
      titleBase = base;
      renderTitle();
    },

    /**
     * Notifies of an alert change when it deserves it.
     * @param {Alert | undefined} previous the alert as the page held it before the change
     * @param {Alert} alert the change
     * @param {boolean} live it came on the live stream, not replayed
     */
    alertChanged(previous, alert, live) {
      const change = alertChange(previous, alert);
      if (!supported || change === null || !notifies(change, live, isOn(permission(), wanted()))) {
        return;
      }
      const { title, options } = notificationFor(alert, change);
      try {
        const notification = new Notification(title, options);
        notification.addEventListener('click', () => {
          window.focus();
          notification.close();
        });
      } catch {
        // Chrome on Android shows notifications only from a service worker.
      }
    },

    /**
     * The count in the title and the favicon, and the banner, from the active alerts.
     * @param {AlertStore} store
     */
    render(store) {
      shown = sortedAlerts(store);
      active = shown.length;
      renderTitle();
      const href = faviconHref(active, worstSeverity(shown.map(([, a]) => a))) ?? plainIcon;
      if (icon) {
        setAttr(icon, 'href', href);
      }
      renderBanner();
    },
  };
}

/** @typedef {ReturnType<typeof createAttention>} Attention */
