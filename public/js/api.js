// @ts-check
// The API's JSON as `unknown`: callers check or cast what they read.

const ACCEPT_JSON = { headers: { accept: 'application/json' } };

/**
 * @param {Response} res
 * @returns {Promise<unknown>}
 */
export const readJson = (res) => res.json();

/**
 * The JSON at `url` (relative: the page may sit under a sub-path); throws unless 2xx.
 * @param {string} url
 */
export async function getJson(url) {
  const res = await fetch(url, ACCEPT_JSON);
  if (!res.ok) {
    throw new Error(`${url}: HTTP ${res.status}`);
  }
  return readJson(res);
}

/**
 * The answer to a GET of `url`, whatever its status.
 * @param {string} url
 */
export const probe = (url) => fetch(url, ACCEPT_JSON);
