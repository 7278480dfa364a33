// @ts-check
// The Memory panel's figures (its chart is one of the charts).

import { $, markLevel, setText } from '../dom.js';
import { DASH, fmtBytes, fmtPct, isNum } from '../format.js';

/** @typedef {import('../types.js').Memory} Memory */
/** @typedef {(metric: string, v: unknown) => import('../thresholds.js').Level} LevelOf */

/** @param {LevelOf} level */
export function createMemoryPanel(level) {
  const usage = $('memory-usage');
  const used = $('memory-used');
  const available = $('memory-available');
  const swap = $('swap-usage');
  const swapUsed = $('swap-used');

  return {
    /** @param {Memory | null | undefined} memory null: unavailable; undefined: not asked for */
    render(memory) {
      if (memory === undefined) {
        return;
      }
      const unavailable = memory === null;
      const m = memory ?? {};
      usage.dataset.value = isNum(m.usage) ? String(m.usage) : '';
      setText(usage, fmtPct(m.usage));
      markLevel(usage, level('memory.usage', m.usage));
      setText(used, unavailable ? DASH : `${fmtBytes(m.used)} / ${fmtBytes(m.total)}`);
      setText(available, fmtBytes(m.available));
      setText(swap, isNum(m.swapUsage) ? fmtPct(m.swapUsage) : unavailable ? DASH : 'no swap');
      markLevel(swap, level('memory.swapUsage', m.swapUsage));
      setText(swapUsed, unavailable ? DASH : `${fmtBytes(m.swapUsed)} / ${fmtBytes(m.swapTotal)}`);
    },
    clear() {
      usage.dataset.value = '';
    },
  };
}
