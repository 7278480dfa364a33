// @ts-check
// Light or dark: the stored choice, else the system's. The CSS keys its palettes on
// <html data-theme>, which theme-boot.js sets before the first paint; this module keeps it up
// to date and runs the toggle.

const THEME_KEY = 'vitals-theme'; // theme-boot.js reads the same key

/** @typedef {'light' | 'dark'} Theme */

const darkQuery = window.matchMedia('(prefers-color-scheme: dark)');

/** @returns {Theme | null} */
function storedTheme() {
  try {
    const value = localStorage.getItem(THEME_KEY);
    return value === 'light' || value === 'dark' ? value : null;
  } catch {
    return null; // storage can be disabled; the system preference still works
  }
}

/** @param {Theme} theme */
function applyTheme(theme) {
  document.documentElement.dataset.theme = theme;
  const toggle = document.getElementById('theme-toggle');
  if (toggle) {
    const next = theme === 'dark' ? 'light' : 'dark';
    toggle.textContent = theme === 'dark' ? '☀ Light' : '☾ Dark';
    toggle.setAttribute('aria-label', `Switch to ${next} theme`);
  }
}

/** @returns {Theme} */
const systemTheme = () => (darkQuery.matches ? 'dark' : 'light');

/**
 * Applies the theme and follows the toggle and the system's changes.
 * @param {() => void} onChange after each change, e.g. redraw what reads colours
 */
export function startTheme(onChange) {
  applyTheme(storedTheme() ?? systemTheme());
  document.getElementById('theme-toggle')?.addEventListener('click', () => {
    const next = document.documentElement.dataset.theme === 'dark' ? 'light' : 'dark';
    try {
      localStorage.setItem(THEME_KEY, next);
    } catch {
      // not remembered, still applied
    }
    applyTheme(next);
    onChange();
  });
  darkQuery.addEventListener('change', () => {
    if (!storedTheme()) {
      // an explicit choice wins over the system
      applyTheme(systemTheme());
      onChange();
    }
  });
}
