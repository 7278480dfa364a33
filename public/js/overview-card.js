// @ts-check
// A host's card on the overview: built once, then updated in place (text, attributes, and a
// path per sparkline), never rebuilt per sample. The whole card opens the host: its name is a
// real link (keyboard, middle-click, "open in new tab") stretched over the card.
// Sparklines are SVG paths, as the Containers panel's, one SVG per card beside its four rows
// of figures, a band per row. Measured with 200 hosts in Chromium: 800 canvases cost ~15 ms a
// frame in compositing alone (each canvas a layer to update), 800 SVGs half that and more
// layout; one SVG per card is a quarter of either. The paths are drawn in a fixed box that the
// SVG stretches to its size (the stroke does not scale), so no size is measured, and their
// colour comes from the CSS, so a theme change costs nothing here.

import { el, setAttr, setText } from './dom.js';
import { METRICS, rangeOf, scaleTop, traceSpark } from './overview-series.js';
import { METRIC_LABELS, alertText, fmtFigure, seenText, sparkText } from './overview-text.js';

/** @typedef {import('./overview-fleet.js').FleetHost} FleetHost */
/** @typedef {import('./overview-fleet.js').WorstAlert} WorstAlert */
/** @typedef {import('./overview-series.js').Metric} Metric */
/** @typedef {import('./thresholds.js').Level} Level */

const SVG = 'http://www.w3.org/2000/svg';
// The box the paths are drawn in: 300 units wide, a band of 40 per row (css/overview.css gives
// the rows and the SVG heights that keep each band beside its row), the line in its middle 30.
const SPARK_WIDTH = 300;
const BAND = 40;
const BAND_MARGIN = 5;

/** The alert rules' metric path each figure is judged by. */
const RULE_METRICS = /** @type {const} */ ({
  cpu: 'cpu.usage',
  memory: 'memory.usage',
  disk: 'disks[].usage',
  network: '',
});

/**
 * @typedef {object} Figure One metric of a card.
 * @property {Metric} metric
 * @property {HTMLElement} value
 * @property {HTMLElement} mark its level in words
 * @property {HTMLElement} spoken the sparkline's span, for screen readers
 * @property {SVGPathElement} line the sparkline
 */

/**
 * @typedef {object} Card
 * @property {HTMLLIElement} root
 * @property {HTMLAnchorElement} link
 * @property {HTMLElement} severity the alert's severity, a word
 * @property {HTMLElement} alert the alert's rule
 * @property {HTMLElement} staleMark
 * @property {HTMLElement} seen
 * @property {HTMLElement} mount the fullest disk's mount
 * @property {Figure[]} figures in METRICS' order
 */

let cards = 0; // for ids unique on the page

/** @param {string} name */
const svgElement = (name) => document.createElementNS(SVG, name);

/**
 * @param {Metric} metric
 * @param {SVGPathElement} line its sparkline
 */
function createFigure(metric, line) {
  const row = el('div', 'card-metric');
  row.dataset.metric = metric;
  const dt = el('dt', '', METRIC_LABELS[metric]);
  const dd = el('dd');
  const value = el('span', 'card-value', '—');
  const mark = el('span', 'level-mark');
  const spoken = el('span', 'visually-hidden');
  dd.append(value, mark, spoken);
  row.append(dt, dd);
  /** @type {Figure} */
  const figure = { metric, value, mark, spoken, line };
  return { row, dt, figure };
}

/** The sparklines' SVG: a zero line per band, and a path per metric. */
function createSparks() {
  const spark = svgElement('svg');
  spark.setAttribute('class', 'card-sparks');
  spark.setAttribute('viewBox', `0 0 ${SPARK_WIDTH} ${BAND * METRICS.length}`);
  spark.setAttribute('preserveAspectRatio', 'none');
  spark.setAttribute('aria-hidden', 'true'); // each figure says its span in words
  spark.setAttribute('focusable', 'false');
  const zeros = svgElement('path');
  zeros.setAttribute('class', 'zero');
  zeros.setAttribute(
    'd',
    METRICS.map((_, i) => `M0,${(i + 1) * BAND - BAND_MARGIN}H${SPARK_WIDTH}`).join(''),
  );
  spark.append(zeros);
  const lines = METRICS.map(() => {
    const line = /** @type {SVGPathElement} */ (svgElement('path'));
    line.setAttribute('class', 'line');
    spark.append(line);
    return line;
  });
  return { spark, lines };
}

/**
 * A card for `name`, linking to `href`.
 * @param {string} name
 * @param {string} href the host's full view
 * @returns {Card}
 */
export function createCard(name, href) {
  const id = `host-card-${++cards}`;
  const root = el('li', 'host-card');
  root.dataset.host = name;
  const head = el('div', 'card-head');
  const title = el('h3', 'card-name');
  const link = el('a', '', name);
  link.href = href;
  link.setAttribute('aria-describedby', `${id}-alert ${id}-state`);
  title.append(link);
  const badge = el('p', 'card-alert');
  badge.id = `${id}-alert`;
  const severity = el('span', 'card-severity');
  const alert = el('span', 'card-rule');
  badge.append(severity, ' ', alert); // a space: words apart for screen readers too
  head.append(title, badge);

  const state = el('p', 'card-state');
  state.id = `${id}-state`;
  const staleMark = el('span', 'stale-mark', 'stale');
  staleMark.hidden = true;
  const seen = el('span', 'card-seen', seenText(0, 0, false));
  state.append(staleMark, ' ', seen);

  const body = el('div', 'card-body');
  const list = el('dl', 'card-metrics');
  const mount = el('span', 'card-mount');
  const { spark, lines } = createSparks();
  const figures = METRICS.map((metric, i) => {
    const { row, dt, figure } = createFigure(metric, /** @type {SVGPathElement} */ (lines[i]));
    if (metric === 'disk') {
      dt.append(' ', mount);
    }
    list.append(row);
    return figure;
  });
  body.append(list, spark);
  root.append(head, state, body);
  return { root, link, severity, alert, staleMark, seen, mount, figures };
}

/**
 * Brings a card's words and attributes up to date (each write skipped when unchanged).
 * @param {Card} card
 * @param {FleetHost} host
 * @param {WorstAlert | undefined} worst
 * @param {(metric: string, v: unknown) => Level} levelOf the rules' level of a value
 * @param {number} now the gateway's time (ms)
 */
export function renderCard(card, host, worst, levelOf, now) {
  const { root } = card;
  setAttr(root, 'data-stale', String(host.stale));
  setAttr(root, 'data-severity', worst?.severity ?? '');
  setText(card.severity, worst?.severity ?? '');
  setText(card.alert, alertText(worst));
  if (card.staleMark.hidden === host.stale) {
    card.staleMark.hidden = !host.stale;
  }
  setText(card.seen, seenText(host.lastTs, now, host.stale));
  setText(card.mount, host.latest?.diskMount ?? '');
  const oldest = host.series.t[0];
  card.figures.forEach((f, i) => {
    const v = host.latest?.[f.metric] ?? null;
    setText(f.value, fmtFigure(f.metric, v));
    setAttr(f.value, 'data-value', v === null ? '' : String(v));
    const rule = RULE_METRICS[f.metric];
    const level = rule ? levelOf(rule, v) : '';
    setAttr(f.value, 'class', level ? `card-value ${level}` : 'card-value');
    setAttr(f.mark, 'class', level ? `level-mark ${level}` : 'level-mark');
    setText(f.mark, level);
    const span = oldest === undefined ? 0 : now - oldest;
    setText(f.spoken, sparkText(f.metric, rangeOf(host.series, i), span));
  });
}

/** A path's `d`, built by traceSpark: coordinates to a tenth of a unit, `dy` lower. */
class PathText {
  d = '';
  /** @param {number} dy */
  constructor(dy) {
    this.dy = dy;
  }
  /**
   * @param {number} x
   * @param {number} y
   */
  moveTo(x, y) {
    this.d += `M${Math.round(x * 10) / 10},${Math.round((y + this.dy) * 10) / 10}`;
  }
  /**
   * @param {number} x
   * @param {number} y
   */
  lineTo(x, y) {
    this.d += `L${Math.round(x * 10) / 10},${Math.round((y + this.dy) * 10) / 10}`;
  }
}

/**
 * Draws a card's sparklines as of `time.now`, each in its band.
 * @param {Card} card
 * @param {FleetHost} host
 * @param {{ now: number, span: number }} time the gateway's time at the right edge, and the
 *   time from the left edge to it (ms)
 */
export function drawSparks(card, host, time) {
  card.figures.forEach((f, i) => {
    const path = new PathText(i * BAND + BAND_MARGIN);
    traceSpark(path, host.series, i, {
      width: SPARK_WIDTH,
      height: BAND - 2 * BAND_MARGIN,
      now: time.now,
      span: time.span,
      top: scaleTop(f.metric, f.metric === 'network' ? rangeOf(host.series, i) : null),
    });
    setAttr(f.line, 'd', path.d);
  });
}
