// @ts-check
// The connection state in the header: data-state for the CSS (and tests), text for people.

import { $, setAttr, setText } from './dom.js';

/** @typedef {'connecting' | 'live' | 'reconnecting' | 'closed'} ConnectionState */

/** @type {Record<ConnectionState, string>} */
const STATUS_TEXT = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  closed: 'Disconnected',
};

/**
 * @param {ConnectionState} state
 * @param {string} [text]
 */
export function setStatus(state, text = STATUS_TEXT[state]) {
  const node = $('status');
  setAttr(node, 'data-state', state);
  setText(node, text);
}
