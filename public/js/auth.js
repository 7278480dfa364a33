// @ts-check
// Sign-in. When vitals requires a token, the page asks for it once and trades it for the
// session cookie (HttpOnly), so the token never sits in a URL or in page storage.

import { probe } from './api.js';
import { $, setText } from './dom.js';
import { setStatus } from './status.js';

/**
 * Shows the token dialog; resolves with what was typed.
 * @param {string | undefined} message why it asks again
 * @returns {Promise<string>}
 */
function askForToken(message) {
  const dialog = /** @type {HTMLDialogElement} */ ($('login'));
  const form = $('login-form');
  const input = /** @type {HTMLInputElement} */ ($('login-token'));
  const error = $('login-error');
  setText(error, message ?? '');
  error.hidden = !message;
  input.value = '';
  if (!dialog.open) {
    dialog.showModal();
  }
  input.focus();
  return new Promise((resolve) => {
    form.addEventListener(
      'submit',
      (e) => {
        e.preventDefault();
        dialog.close();
        resolve(input.value.trim());
      },
      { once: true },
    );
  });
}

/** Resolves once the API answers this page: at once, or after a token was accepted. */
export async function ensureSignedIn() {
  /** @type {string | undefined} */
  let message;
  for (;;) {
    if ((await probe('api/v1/alerts')).status !== 401) {
      return;
    }
    setStatus('closed', 'Signed out');
    const token = await askForToken(message);
    const res = await fetch('api/v1/session', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    message = res.ok ? undefined : 'That token was not accepted.';
  }
}
