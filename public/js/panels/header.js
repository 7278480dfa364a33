// @ts-check
// The header's host and uptime, the page title and the footer's sample line.

import { $, setText } from '../dom.js';
import { DASH, fmtTime, fmtUptime } from '../format.js';

/** @typedef {import('../types.js').Sample} Sample */

/** @param {(title: string) => void} setTitle the page title's owner, which adds the alert count */
export function createHeader(setTitle) {
  const host = $('host');
  const uptime = $('uptime');
  const sampleTime = $('sample-time');

  /** @param {string | null} name */
  function showHost(name) {
    setText(host, name ?? DASH);
    setTitle(name == null ? 'vitals' : `${name} · vitals`);
  }

  return {
    showHost,
    /** @param {Sample} s */
    render(s) {
      if (s.host && host.textContent !== s.host) {
        showHost(s.host);
      }
      setText(uptime, fmtUptime(s.uptime));
      setText(sampleTime, `Sample ${s.id} at ${fmtTime(s.timestamp)}`);
    },
    /** @param {string | null} followed the host the page follows now */
    clear(followed) {
      showHost(followed);
      setText(uptime, DASH);
      setText(sampleTime, 'Waiting for the first sample…');
    },
  };
}
