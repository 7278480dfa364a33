// @ts-check
// Hosts. A gateway serves many: the picker chooses the one the page follows, and every sample
// request carries its host=. Standalone and agent servers have one host and get no host=.

import { probe, readJson } from './api.js';
import { $, el, syncKeyed } from './dom.js';

const HOST_KEY = 'vitals.host';
const HOSTS_WAITING_MS = 5_000; // a gateway with no agent yet: look again soon
const HOSTS_REFRESH_MS = 10_000; // a gateway's agents come and go

/** @typedef {{ gateway: boolean, followed: string | null }} HostState */
/** @typedef {{ mode?: string, hosts?: unknown }} HostList the body of api/v1/hosts */

/**
 * The names in a host list, skipping anything that is not one.
 * @param {unknown} hosts
 * @returns {string[]}
 */
export const hostNames = (hosts) =>
  (Array.isArray(hosts) ? /** @type {unknown[]} */ (hosts) : [])
    .map((h) => /** @type {{ name?: unknown } | null} */ (h)?.name)
    .filter((name) => typeof name === 'string' && name !== '')
    .map(String);

/**
 * The host followed now, never switched under the user; else the remembered one, else the
 * first.
 * @param {readonly string[]} names
 * @param {string | null} followed
 * @param {string | null} remembered
 * @returns {string | null}
 */
export function chooseHost(names, followed, remembered) {
  if (followed != null) {
    return followed;
  }
  return remembered != null && names.includes(remembered) ? remembered : (names[0] ?? null);
}

/**
 * `path` with `params` and, on a gateway, the followed host.
 * @param {string} path
 * @param {string | null} followed
 * @param {Record<string, string>} [params]
 */
export function withHost(path, followed, params = {}) {
  const query = new URLSearchParams(params);
  if (followed != null) {
    query.append('host', followed);
  }
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

function rememberedHost() {
  try {
    return localStorage.getItem(HOST_KEY);
  } catch {
    return null; // storage can be disabled
  }
}

/** @returns {Promise<HostList>} */
async function fetchHosts() {
  const res = await probe('api/v1/hosts');
  if (res.status === 404) {
    return { mode: 'standalone', hosts: [] }; // a server from before hosts
  }
  if (!res.ok) {
    throw new Error(`api/v1/hosts: HTTP ${res.status}`);
  }
  return /** @type {HostList} */ (await readJson(res));
}

/** @param {string} name */
function createOption(name) {
  const option = el('option', '', name);
  option.value = name;
  return option;
}

/**
 * The picker and the looks at the host list; `follow` switches the page to a host.
 * @param {HostState} state read for the followed host, written for the gateway mode
 * @param {(host: string | null) => Promise<void>} follow
 */
export function createHosts(state, follow) {
  const pick = $('host-pick');
  const picker = /** @type {HTMLSelectElement} */ ($('host-picker'));
  const hostRow = $('host-row');
  /** @type {Map<string, HTMLOptionElement>} name → option */
  const options = new Map();
  const waiting = el('option', '', 'waiting for agents…');
  waiting.value = '';
  waiting.disabled = true;
  let timer = 0;

  /**
   * @param {string[]} names
   * @param {string | null} chosen
   */
  function render(names, chosen) {
    // The select carries `hidden` itself too, so a look at #host-picker alone tells.
    pick.hidden = picker.hidden = !state.gateway;
    hostRow.hidden = state.gateway; // the picker names the host instead
    if (!state.gateway) {
      return;
    }
    // A host the gateway stopped listing stays while followed: the choice is the user's.
    const list =
      chosen == null || names.includes(chosen)
        ? names
        : [...names, chosen].sort((a, b) => a.localeCompare(b));
    if (list.length > 0) {
      waiting.remove();
    }
    // Keyed by the name itself; an option needs no update, its name is its text.
    syncKeyed(picker, options, list, String, createOption, () => {});
    if (list.length === 0 && !waiting.isConnected) {
      picker.append(waiting);
    }
    picker.disabled = list.length === 0;
    picker.value = chosen ?? '';
  }

  /**
   * Reads the host list and updates the picker. Resolves with the host to follow (null outside
   * gateway mode or with no agent yet), or undefined when the list could not be read.
   * @returns {Promise<string | null | undefined>}
   */
  async function load() {
    /** @type {HostList} */
    let body;
    try {
      body = await fetchHosts();
    } catch {
      return undefined; // keep what we follow; the next look may work
    }
    state.gateway = body?.mode === 'gateway';
    const names = hostNames(body?.hosts);
    const chosen = state.gateway ? chooseHost(names, state.followed, rememberedHost()) : null;
    render(names, chosen);
    return chosen;
  }

  /**
   * Standalone (known) needs no more looks; a gateway's list changes, an unread one may work
   * later.
   * @param {boolean} known
   */
  function schedule(known) {
    clearTimeout(timer);
    if (known && !state.gateway) {
      return;
    }
    const delay = state.gateway && state.followed == null ? HOSTS_WAITING_MS : HOSTS_REFRESH_MS;
    timer = window.setTimeout(() => void poll(), delay);
  }

  async function poll() {
    const chosen = await load();
    if (chosen !== undefined && chosen !== state.followed) {
      void follow(chosen);
    }
    schedule(chosen !== undefined);
  }

  picker.addEventListener('change', () => {
    const host = picker.value;
    if (!host || host === state.followed) {
      return;
    }
    try {
      localStorage.setItem(HOST_KEY, host);
    } catch {
      // not remembered, still followed
    }
    void follow(host);
  });

  return { load, schedule };
}
