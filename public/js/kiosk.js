// @ts-check
// A view to leave on a wall: `?kiosk` hides the page's chrome (whatever carries `data-chrome`:
// pickers, toggles, buttons, the footer) through <html class="kiosk">, and keeps the screen
// awake where the browser lets it (the Screen Wake Lock API). Where it does not, or refuses
// (battery saver, a hidden tab), the screen may sleep: nothing else changes, nothing is logged.

/** Values of `?kiosk=` that mean "not a kiosk", so a shared link can turn it off explicitly. */
const OFF = new Set(['0', 'false', 'no', 'off']);

/**
 * Whether a page's query string asks for the kiosk view: `?kiosk`, `?kiosk=1`, …
 * @param {string} search e.g. location.search
 */
export function isKiosk(search) {
  const value = new URLSearchParams(search).get('kiosk');
  return value !== null && !OFF.has(value.trim().toLowerCase());
}

/**
 * What keepAwake needs of the page, so it can be tested without a browser.
 * @typedef {object} AwakeHost
 * @property {Pick<WakeLock, 'request'> | undefined} wakeLock navigator.wakeLock, if any
 * @property {Pick<Document, 'visibilityState' | 'addEventListener'>} document
 */

/**
 * Holds a screen wake lock while the page is visible. The browser releases it whenever the page
 * is hidden (another tab, a locked screen); it is asked for again once the page is visible.
 * @param {AwakeHost} host
 * @returns {() => Promise<void>} asks for the lock now, if it is not held (for tests)
 */
export function keepAwake({ wakeLock, document }) {
  /** @type {WakeLockSentinel | null} */
  let held = null;
  let asking = false;

  async function acquire() {
    if (!wakeLock || asking || (held && !held.released) || document.visibilityState !== 'visible') {
      return;
    }
    asking = true;
    try {
      held = await wakeLock.request('screen');
    } catch {
      held = null; // refused (policy, battery saver, hidden meanwhile): the screen may sleep
    } finally {
      asking = false;
    }
  }

  if (wakeLock) {
    document.addEventListener('visibilitychange', () => void acquire());
    void acquire();
  }
  return acquire;
}

/**
 * Turns the kiosk view on when the URL asks for it; returns whether it did.
 * @returns {boolean}
 */
export function startKiosk() {
  if (!isKiosk(location.search)) {
    return false;
  }
  document.documentElement.classList.add('kiosk');
  // Absent outside secure contexts (plain HTTP but localhost) and in older browsers.
  const wakeLock = 'wakeLock' in navigator ? navigator.wakeLock : undefined;
  keepAwake({ wakeLock, document });
  return true;
}
