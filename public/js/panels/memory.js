// @ts-check
// The Memory panel's figures (its chart is one of the charts).

import { $, setText, showLevel } from '../dom.js';
import { DASH, fmtBytes, fmtPct, isNum } from '../format.js';

/** @typedef {import('../types.js').Memory} Memory */
/** @typedef {(metric: string, v: unknown) => import('../thresholds.js').Level} LevelOf */

/** @param {LevelOf} level */
export function createMemoryPanel(level) {
  const usage = $('memory-usage');
  const usageLevel = $('memory-usage-level');
  const used = $('memory-used');
  const available = $('memory-available');
  const swap = $('swap-usage');
  const swapLevel = $('swap-usage-level');
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
      showLevel(usage, usageLevel, level('memory.usage', m.usage));
      setText(used, unavailable ? DASH : `${fmtBytes(m.used)} / ${fmtBytes(m.total)}`);
      setText(available, fmtBytes(m.available));
      setText(swap, isNum(m.swapUsage) ? fmtPct(m.swapUsage) : unavailable ? DASH : 'no swap');
      showLevel(swap, swapLevel, level('memory.swapUsage', m.swapUsage));
      setText(swapUsed, unavailable ? DASH : `${fmtBytes(m.swapUsed)} / ${fmtBytes(m.swapTotal)}`);
    },
    clear() {
      usage.dataset.value = '';
      showLevel(usage, usageLevel, '');
      showLevel(swap, swapLevel, '');
    },
  };
}
