// @ts-check
// The Network panel's table: a row per interface (its chart is one of the charts).

import { $, el, setText, syncKeyed } from '../dom.js';
import { fmtRate } from '../format.js';

/** @typedef {import('../types.js').NetworkRate} NetworkRate */

/** @param {NetworkRate} n */
function createRow(n) {
  const row = el('tr');
  row.dataset.iface = n.iface;
  const name = el('th', '', n.iface);
  name.scope = 'row';
  row.append(name, el('td', 'num'), el('td', 'num'));
  return row;
}

/**
 * @param {HTMLTableRowElement} row
 * @param {NetworkRate} n
 */
function updateRow(row, n) {
  setText(row.cells[1], fmtRate(n.rxBytesPerSec));
  setText(row.cells[2], fmtRate(n.txBytesPerSec));
}

export function createNetworkPanel() {
  const body = $('network-rates');
  /** @type {Map<string, HTMLTableRowElement>} iface → row */
  const rows = new Map();

  /** @param {NetworkRate[] | null | undefined} network */
  function render(network) {
    const items = Array.isArray(network) ? network : [];
    syncKeyed(body, rows, items, (n) => n.iface, createRow, updateRow);
  }

  return { render, clear: () => render([]) };
}
