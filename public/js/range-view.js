// @ts-check
// The range picker and what it shows: Live (the stream) or the rollups of a range, which the
// charts draw until Live is chosen again. The stream keeps running meanwhile, so the panels of
// current values stay live and going back to Live is instant. The range is kept in the URL.

import { getJson } from './api.js';
import { $, el, setAttr, setText } from './dom.js';
import { withHost } from './hosts.js';
import { RANGES, rangeFromUrl, rangeLabel, rollupQuery, urlWithRange } from './range.js';
import { rollupView } from './rollup-series.js';

/** @typedef {import('./range.js').Range} Range */
/** @typedef {import('./charts.js').Charts} Charts */

const REFRESH_MS = 60_000; // the newest bucket is still open: re-read a shown range this often

/**
 * @param {Charts} charts
 * @param {() => string | null} followed the host= of requests (null outside gateway mode)
 * @param {() => boolean} waiting a gateway without a host yet: nothing to ask for
 */
export function createRangeView(charts, followed, waiting) {
  const group = $('range-pick');
  const note = $('range-note');
  /** @type {Map<Range, HTMLButtonElement>} */
  const buttons = new Map();
  /** @type {Range} */
  let range = 'live';
  let seq = 0; // bumped by each load: an earlier answer arriving late is dropped
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;

  /** @param {string} state loading | shown | error | live */
  function mark(state) {
    setAttr(group, 'data-state', state);
    document.body.dataset.range = range;
    for (const [r, button] of buttons) {
      setAttr(button, 'aria-pressed', String(r === range));
    }
  }

  async function load() {
    clearTimeout(timer);
    const my = ++seq;
    if (range === 'live') {
      setText(note, '');
      mark('live');
      charts.showLive();
      return;
    }
    const shown = range;
    const name = rangeLabel(shown).name;
    mark('loading');
    setText(note, 'Loading…');
    try {
      if (waiting()) {
        throw new Error('no host yet');
      }
      const url = withHost('api/v1/metrics/rollups', followed(), rollupQuery(shown));
      const answer = await getJson(url);
      if (my !== seq) {
        return;
      }
      const view = rollupView(answer, followed());
      charts.showRange(view, name);
      const tier = /** @type {{ tier?: unknown }} */ (answer).tier;
      setText(note, view.points ? `${typeof tier === 'string' ? `${tier} steps` : ''}` : 'No data');
      mark('shown');
    } catch {
      if (my !== seq) {
        return;
      }
      charts.showRange(rollupView(null, null), name);
      setText(note, 'History unavailable');
      mark('error');
    }
    timer = setTimeout(() => void load(), REFRESH_MS);
  }

  /** @param {Range} next */
  function choose(next) {
    if (next === range) {
      return;
    }
    range = next;
    history.replaceState(history.state, '', urlWithRange(location.href, range));
    void load();
  }

  return {
    /** Builds the picker and shows the range the URL asks for. */
    start() {
      for (const r of RANGES) {
        const { text, name } = rangeLabel(r);
        const button = el('button', 'range-button', text);
        button.type = 'button';
        button.dataset.range = r;
        if (name !== text) {
          // A description, not the name: speech input users say what they see ("1 h").
          button.title = name;
        }
        button.addEventListener('click', () => choose(r));
        buttons.set(r, button);
        group.append(button);
      }
      range = rangeFromUrl(location.href);
      mark(range === 'live' ? 'live' : 'loading'); // loaded once a host is followed
    },
    /** The URL changed (back, forward, another view): the range it asks for. */
    sync() {
      const asked = rangeFromUrl(location.href);
      if (asked !== range) {
        range = asked;
        void load();
      }
    },
    /** Another host is followed: its rollups, if a range is shown. */
    reload() {
      if (range !== 'live') {
        void load();
      }
    },
  };
}
