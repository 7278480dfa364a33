// @ts-check
// The "vitals itself" panel: the server's own overhead.

import { $, setText } from '../dom.js';
import { DASH, fmtBytes, fmtPct, isNum } from '../format.js';

/** @typedef {import('../types.js').Self} Self */

export function createSelfPanel() {
  const [cpu, rss, lag, subscribers] = ['cpu', 'rss', 'lag', 'subscribers'].map((id) =>
    $(`self-${id}`),
  );

  return {
    /** @param {Self | null | undefined} self */
    render(self) {
      if (!self) {
        return;
      }
      setText(cpu, fmtPct(self.cpu));
      setText(rss, fmtBytes(self.rss));
      setText(lag, isNum(self.eventLoopLagMs) ? `${self.eventLoopLagMs.toFixed(2)} ms` : DASH);
      setText(subscribers, isNum(self.subscribers) ? String(self.subscribers) : DASH);
    },
  };
}
