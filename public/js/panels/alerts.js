// @ts-check
// The Alerts panel: one item per active alert, newest first, or the empty state.

import { sortedAlerts } from '../alerts.js';
import { $, el, setAttr, setText, syncKeyed } from '../dom.js';
import { fmtMetric, fmtTime } from '../format.js';

/** @typedef {import('../alerts.js').AlertStore} AlertStore */
/** @typedef {import('../alerts.js').HeldAlert} HeldAlert */
/** @typedef {Record<'severity' | 'rule' | 'labels' | 'value' | 'since', HTMLElement>} AlertParts */

export function createAlertsPanel() {
  const list = $('alerts');
  const count = $('alerts-count');
  // Held here: once out of the list, getElementById would miss it.
  const empty = $('alerts-empty');
  /** @type {Map<string, HTMLElement>} key → item */
  const nodes = new Map();
  /** @type {WeakMap<HTMLElement, AlertParts>} */
  const parts = new WeakMap();

  /** @param {HeldAlert} a */
  function create(a) {
    const li = el('li', 'alert');
    const item = {
      severity: el('span', 'badge'),
      rule: el('strong', 'alert-rule'),
      labels: el('span', 'alert-labels muted'),
      value: el('span', 'alert-value'),
      since: el('time', 'alert-since muted'),
    };
    li.append(item.severity, item.rule, item.labels, item.value, item.since);
    parts.set(li, item);
    li.dataset.rule = a.rule;
    return li;
  }

  /**
   * @param {HTMLElement} li
   * @param {HeldAlert} a
   */
  function update(li, a) {
    const p = /** @type {AlertParts} */ (parts.get(li));
    setAttr(li, 'data-severity', a.severity);
    setText(p.severity, a.severity);
    setText(p.rule, a.rule);
    const labels = Object.entries(a.labels ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(', ');
    setText(p.labels, labels);
    setText(p.value, `${fmtMetric(a.metric, a.value)} ≥ ${fmtMetric(a.metric, a.threshold)}`);
    setAttr(p.since, 'datetime', a.since ?? '');
    setText(p.since, `since ${fmtTime(a.since)}`);
  }

  return {
    /** @param {AlertStore} store */
    render(store) {
      const items = sortedAlerts(store);
      // The empty state leaves the list when there are alerts, so only alerts are <li>s in it.
      if (items.length > 0) {
        empty.remove();
      }
      syncKeyed(
        list,
        nodes,
        items,
        ([key]) => key,
        ([, a]) => create(a),
        (li, [, a]) => update(li, a),
      );
      if (items.length === 0 && !empty.isConnected) {
        list.append(empty);
      }
      setText(count, String(items.length));
    },
  };
}
