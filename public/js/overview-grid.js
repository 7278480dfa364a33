// @ts-check
// The overview's grid: a card per host, kept in the view's order, and the animation frames
// that write to it. The data side (overview.js) only marks what is due; a frame then writes it
// in place: the order and the filter, each due card's words, and the lines of the cards in
// view. Nothing is rebuilt per sample, and what a frame writes is bounded.

import { $, setText } from './dom.js';
import { createCard, drawSparks, renderCard } from './overview-card.js';
import { entryOf, fleetNow } from './overview-fleet.js';
import { sparkSpan } from './overview-series.js';
import { summaryText } from './overview-text.js';
import { arrange, hostUrl } from './overview-view.js';

/** @typedef {import('./overview-card.js').Card} Card */
/** @typedef {import('./overview-fleet.js').Fleet} Fleet */
/** @typedef {import('./overview-fleet.js').WorstAlert} WorstAlert */
/** @typedef {import('./overview-view.js').View} View */
/** @typedef {import('./thresholds.js').Level} Level */

// Samples' changes are written at most this often. 200 hosts at 1 Hz arrive spread over the
// second: written as they came, nearly every frame paid the browser's fixed cost of a change
// (style, layout, paint, layers: ~5 ms in Chromium on the test VM). Four frames a second do
// the same writes, a card still changes with each of its samples, and the other frames idle.
// What a person does (filter, sort, scroll) is written at the next frame.
const WRITE_EVERY_MS = 250;
// Cards in view written in one frame at most (their words and lines); the rest the next frame.
// With every card in view a write brings ~50: laid out in one frame they took ~40 ms.
const CARDS_PER_FRAME = 16;
// Cards out of view get their words a few at a time, the longest due first (a Set keeps the
// order things were first added): a screen reader reading them finds figures seconds old at
// most, and a write does not lay out 200 cards (~20 layout objects each: 900 took 26 ms).
const OFFSCREEN_TEXTS = 5;
// Sorted by a figure, the cards follow it this often, not at every sample.
const RESORT_MS = 5000;

/**
 * @param {object} deps
 * @param {Fleet} deps.fleet
 * @param {() => View} deps.view the sort and filters chosen
 * @param {() => ReadonlyMap<string, WorstAlert>} deps.worst each host's worst active alert
 * @param {(metric: string, v: unknown) => Level} deps.level the rules' level of a value
 * @param {(host: string) => void} deps.open shows a host's full view
 */
export function createGrid({ fleet, view, worst, level, open }) {
  const section = $('overview');
  const grid = $('overview-grid');
  const summary = $('overview-summary');
  /** @type {Map<string, Card>} by host */
  const cards = new Map();
  /** @type {WeakMap<Element, string>} a card's root → its host */
  const hostOfRoot = new WeakMap();
  /** @type {Set<string>} the hosts whose card is in (or near) the viewport */
  const inView = new Set();
  let shown = false;
  let lastArranged = 0;

  // What the next frame writes.
  let arrangeDue = true;
  /** @type {Set<string>} hosts whose card's words are due */
  const textDue = new Set();
  /** @type {Set<string>} hosts whose lines are due (drawn once in view) */
  const sparksDue = new Set();
  let frame = 0;
  let wait = 0; // the timer until the next write is allowed
  let lastWrite = -Infinity;

  /** @param {boolean} [now] at the next frame, not at the write cadence */
  function schedule(now = false) {
    if (!shown || frame !== 0) {
      return;
    }
    const delay = now ? 0 : lastWrite + WRITE_EVERY_MS - performance.now();
    if (delay <= 0) {
      clearTimeout(wait);
      wait = 0;
      frame = requestAnimationFrame(writeFrame);
    } else if (wait === 0) {
      wait = window.setTimeout(() => {
        wait = 0;
        schedule(true);
      }, delay);
    }
  }

  /** @param {string} host */
  function due(host) {
    textDue.add(host);
    sparksDue.add(host);
  }

  function* allSeries() {
    for (const host of fleet.hosts.values()) {
      yield host.series;
    }
  }

  function writeFrame() {
    frame = 0;
    lastWrite = performance.now();
    const now = fleetNow(fleet);
    const worstOf = worst();
    if (arrangeDue) {
      arrangeDue = false;
      arrangeCards(worstOf);
    }
    const time = { now, span: sparkSpan(allSeries(), now) };
    let cardsLeft = CARDS_PER_FRAME;
    let offscreenLeft = OFFSCREEN_TEXTS;
    for (const name of new Set([...textDue, ...sparksDue])) {
      const visible = inView.has(name);
      if (visible ? cardsLeft-- <= 0 : !textDue.has(name) || offscreenLeft-- <= 0) {
        continue; // out of view: its lines wait until it scrolls in, its words a little
      }
      const card = cards.get(name);
      const host = fleet.hosts.get(name);
      if (card && host && textDue.delete(name)) {
        renderCard(card, host, worstOf.get(name), level, now);
      }
      if (card && host && visible && sparksDue.delete(name)) {
        drawSparks(card, host, time);
      }
    }
    if (cardsLeft < 0) {
      schedule(true); // the cards in view left over: the next frame
    }
  }

  /** @param {string} name */
  function addCard(name) {
    const card = createCard(name, hostUrl(location.href, name));
    card.link.addEventListener('click', (e) => {
      if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) {
        return; // the browser's own: a new tab or window
      }
      e.preventDefault();
      open(name);
    });
    cards.set(name, card);
    hostOfRoot.set(card.root, name);
    visibility.observe(card.root);
    due(name);
    return card;
  }

  /** @param {string} name */
  function dropCard(name) {
    const card = cards.get(name);
    if (card) {
      card.root.remove();
      visibility.unobserve(card.root);
    }
    cards.delete(name);
    inView.delete(name);
    textDue.delete(name);
    sparksDue.delete(name);
  }

  /**
   * The cards the view shows, in its order; the summary.
   * @param {ReadonlyMap<string, WorstAlert>} worstOf
   */
  function arrangeCards(worstOf) {
    for (const name of cards.keys()) {
      if (!fleet.hosts.has(name)) {
        dropCard(name);
      }
    }
    const entries = [...fleet.hosts.values()].map((h) => entryOf(h, worstOf.get(h.name)));
    const order = arrange(entries, view());
    const focused = document.activeElement;
    /** @type {Element | null} */
    let prev = null;
    for (const { name } of order) {
      const root = (cards.get(name) ?? addCard(name)).root;
      /** @type {Element | null} */
      const wanted = prev ? prev.nextElementSibling : grid.firstElementChild;
      if (root !== wanted) {
        grid.insertBefore(root, wanted);
      }
      prev = root;
    }
    // Cards the filter hides leave the grid, kept (with their lines) for when it shows them.
    for (let rest = prev ? prev.nextElementSibling : grid.firstElementChild; rest;) {
      const next = rest.nextElementSibling;
      rest.remove();
      rest = next;
    }
    // A card moved by a new order keeps the keyboard focus it had.
    if (focused instanceof HTMLElement && focused !== document.activeElement) {
      if (focused.isConnected) {
        focused.focus({ preventScroll: true });
      }
    }
    setText(
      summary,
      summaryText({
        total: entries.length,
        stale: [...fleet.hosts.values()].filter((h) => h.stale).length,
        alerting: entries.filter((e) => e.alerts > 0).length,
        shown: order.length,
      }),
    );
    section.dataset.hosts = String(entries.length);
    lastArranged = performance.now();
  }

  const visibility = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        const host = hostOfRoot.get(entry.target);
        if (host === undefined) {
          continue;
        }
        if (entry.isIntersecting) {
          inView.add(host);
          if (sparksDue.has(host) || textDue.has(host)) {
            schedule(true); // scrolled into view
          }
        } else {
          inView.delete(host);
        }
      }
    },
    { rootMargin: '200px 0px' }, // drawn just before they scroll in
  );

  return {
    /**
     * A host's card is due: its words and lines (a new sample, a new state).
     * @param {string} host
     */
    due(host) {
      due(host);
      schedule();
    },
    /**
     * Its words only (its alert changed).
     * @param {string} host
     */
    wordsDue(host) {
      textDue.add(host);
      schedule();
    },
    /** Every card (history taken, new rules, shown again). */
    allDue() {
      arrangeDue = true;
      for (const host of fleet.hosts.keys()) {
        due(host);
      }
      schedule();
    },
    /**
     * The order, the filter or the summary may change.
     * @param {boolean} [now] a person's choice: at the next frame
     */
    rearrange(now = false) {
      arrangeDue = true;
      schedule(now);
    },
    /** Sorted by a figure: the order follows the figures, every RESORT_MS. */
    resort() {
      const { sort } = view();
      if ((sort === 'cpu' || sort === 'memory') && performance.now() - lastArranged >= RESORT_MS) {
        arrangeDue = true;
        schedule();
      }
    },
    /** @param {boolean} on frames are written while the grid shows */
    show(on) {
      shown = on;
      section.hidden = !on;
      if (!on) {
        clearTimeout(wait);
        wait = 0;
        cancelAnimationFrame(frame);
        frame = 0;
      }
    },
  };
}

/** @typedef {ReturnType<typeof createGrid>} Grid */
