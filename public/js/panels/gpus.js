// @ts-check
// The GPU panels: one per GPU on the host, kept by index, with its figures (one the driver does
// not give is a dash that reads "not reported") and its utilisation and memory charts over the
// page's timeline, or over a range's rollups while one is shown. On a host without GPUs there
// is none, not even an empty box.

import uPlot from '../../vendor/uplot/uPlot.esm.js';
import { CHART_HEIGHT, chartOptions, seriesKeys } from '../chart-options.js';
import { $, el, markLevel, setAttr, setText, syncKeyed } from '../dom.js';
import {
  NO_RANGE_READINGS,
  chartLabel,
  chartShows,
  gpuCharts,
  gpuFigures,
  sortGpus,
} from '../gpus.js';
import { gpuKey } from '../timeline.js';

/** @typedef {import('../types.js').Gpu} Gpu */
/** @typedef {import('../gpus.js').Figure} Figure */
/** @typedef {import('../gpus.js').GpuChart} GpuChart */
/** @typedef {import('../gpus.js').LevelOf} LevelOf */
/** @typedef {import('../timeline.js').Timeline} Timeline */
/** @typedef {import('../chart-options.js').RangeView} RangeView */
/** @typedef {import('../rollup-series.js').RollupView} RollupView */

/** @typedef {'utilization' | 'memory' | 'temperature' | 'power' | 'fan' | 'clock'} FigureKey */

/** The figures of a panel, in order: the two charted ones large. */
const FIGURES = /** @type {const} */ ([
  ['utilization', 'Utilisation', true],
  ['memory', 'Memory', true],
  ['temperature', 'Temperature', false],
  ['power', 'Power', false],
  ['fan', 'Fan', false],
  ['clock', 'Clock', false],
]);

/**
 * A figure's nodes: its value, the words read instead of a dash, its level in words, the line
 * below.
 * @typedef {object} FigureParts
 * @property {HTMLElement} dd marked with the level
 * @property {HTMLElement} value
 * @property {HTMLElement} spoken
 * @property {HTMLElement} mark
 * @property {HTMLElement} sub
 */

/**
 * A chart of the panel: its place (heading, chart, note) and the plot drawn there.
 * @typedef {object} ChartParts
 * @property {GpuChart} def
 * @property {HTMLElement} block
 * @property {HTMLElement} el
 * @property {HTMLElement} note
 * @property {uPlot | null} plot
 */

/**
 * @typedef {object} PanelParts
 * @property {HTMLElement} heading
 * @property {HTMLElement} title
 * @property {HTMLElement} name
 * @property {HTMLElement} vendor
 * @property {Record<FigureKey, FigureParts>} figures
 * @property {ChartParts[]} charts
 */

/** @type {WeakMap<HTMLElement, PanelParts>} */
const parts = new WeakMap();

/** @param {string} name */
function themeColor(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888888';
}

/** @param {HTMLElement} node */
const chartWidth = (node) => Math.max(160, Math.floor(node.clientWidth));

/**
 * @param {FigureKey} key
 * @param {string} label
 * @param {boolean} big
 */
function createFigure(key, label, big) {
  const row = el('div', `gpu-figure gpu-${key}`);
  const dd = el('dd', big ? 'big' : undefined);
  const value = el('span', 'figure-value');
  const spoken = el('span', 'visually-hidden');
  const mark = el('span', 'level-mark');
  const sub = el('span', 'sub muted');
  const line = el('span', 'figure-line');
  line.append(value, spoken, mark);
  dd.append(line, sub);
  row.append(el('dt', undefined, label), dd);
  return { row, figure: { dd, value, spoken, mark, sub } };
}

/**
 * @param {FigureParts} p
 * @param {Figure} f
 */
function updateFigure(p, f) {
  setText(p.value, f.text);
  // A dash means nothing read aloud; the words in its place (or the line below) say why.
  if (f.value === '') {
    setAttr(p.value, 'aria-hidden', 'true');
  } else {
    p.value.removeAttribute('aria-hidden');
  }
  setText(p.spoken, f.spoken);
  setText(p.mark, f.mark);
  setText(p.sub, f.sub);
  setAttr(p.dd, 'data-value', f.value);
  markLevel(p.dd, f.level);
}

/** @param {GpuChart} def */
function createChart(def) {
  const block = el('div', 'gpu-chart');
  const chart = el('div', 'chart');
  chart.id = def.spec.id;
  chart.setAttribute('role', 'figure');
  const note = el('p', 'muted chart-note', NO_RANGE_READINGS);
  block.append(el('h3', undefined, def.heading), chart, note);
  return { block, parts: { def, block, el: chart, note, plot: null } };
}

/**
 * @param {LevelOf} level the rules' level of a value
 * @param {Timeline} live the page's timeline, which the charts draw unless a range is shown
 */
export function createGpusPanel(level, live) {
  const container = $('gpus');
  /** @type {Map<string, HTMLElement>} index → panel */
  const panels = new Map();
  let timeline = live;
  /** @type {RangeView} null: live */
  let view = null;
  /** @type {string | null} the range shown, for assistive technology; null: live */
  let rangeName = null;
  let rangePoints = 0; // the rollup points of the range shown
  let dirty = false; // samples arrived while the tab was hidden

  /** @returns {Iterable<ChartParts>} */
  function* allCharts() {
    for (const panel of panels.values()) {
      yield* /** @type {PanelParts} */ (parts.get(panel)).charts;
    }
  }

  /**
   * A copy of a column (uPlot must not see shared ones change under it); nulls when absent.
   * @param {string} key
   */
  const read = (key) =>
    timeline.cols.get(key)?.slice() ??
    /** @type {(number | null)[]} */ (new Array(timeline.x.length).fill(null));

  /** @param {ChartParts} chart */
  function data(chart) {
    const keys = seriesKeys(chart.def.spec, chart.def.spec.lines([]), view);
    return /** @type {uPlot.AlignedData} */ ([timeline.x.slice(), ...keys.map(read)]);
  }

  /** @param {ChartParts} chart */
  function build(chart) {
    chart.plot?.destroy();
    const options = chartOptions(
      chart.def.spec,
      chart.def.spec.lines([]),
      () => [],
      chartWidth(chart.el),
      themeColor,
      view,
    );
    chart.plot = new uPlot(options, data(chart), chart.el);
  }

  /**
   * Shows the chart where its column has readings, and draws it.
   * @param {ChartParts} chart
   * @param {number} index
   */
  function draw(chart, index) {
    const shows = chartShows(timeline.cols.get(gpuKey(index, chart.def.figure)), view !== null);
    chart.block.hidden = shows === 'none';
    chart.el.hidden = shows !== 'chart';
    chart.note.hidden = shows !== 'note';
    setAttr(chart.el, 'data-points', String(view === null ? timeline.x.length : rangePoints));
    if (shows !== 'chart') {
      return;
    }
    if (chart.plot) {
      chart.plot.setData(data(chart));
    } else {
      build(chart);
    }
  }

  /** @param {HTMLElement} panel */
  function drawPanel(panel) {
    const index = Number(panel.dataset.index);
    for (const chart of /** @type {PanelParts} */ (parts.get(panel)).charts) {
      draw(chart, index);
    }
  }

  /** Every chart anew: another timeline, view or theme. */
  function rebuild() {
    for (const chart of allCharts()) {
      chart.plot?.destroy();
      chart.plot = null;
      setAttr(chart.el, 'aria-label', chartLabel(chart.def.spec, rangeName));
    }
    panels.forEach(drawPanel);
  }

  // Charts follow their container's width; a chart hidden (no readings) is left as it is.
  const resizer = new ResizeObserver((entries) => {
    for (const entry of entries) {
      const chart = [...allCharts()].find((c) => c.el === entry.target);
      const width = chart ? chartWidth(chart.el) : 0;
      if (chart?.plot && chart.el.clientWidth > 0 && width !== chart.plot.width) {
        chart.plot.setSize({ width, height: CHART_HEIGHT });
      }
    }
  });

  document.addEventListener('visibilitychange', () => {
    if (!document.hidden && dirty && view === null) {
      dirty = false;
      panels.forEach(drawPanel);
    }
  });

  /** @param {Gpu} g */
  function createPanel(g) {
    const panel = el('section', 'panel gpu');
    panel.dataset.index = String(g.index);
    const titleId = `gpu-${g.index}-title`;
    panel.setAttribute('aria-labelledby', titleId);
    const heading = el('h2');
    heading.id = titleId;
    const title = el('span', 'gpu-title');
    const name = el('span', 'gpu-name');
    const vendor = el('span', 'vendor');
    heading.append(title, name, vendor);

    const stats = el('dl', 'stats gpu-stats');
    const figures = /** @type {Record<FigureKey, FigureParts>} */ ({});
    for (const [key, label, big] of FIGURES) {
      const { row, figure } = createFigure(key, label, big);
      figures[key] = figure;
      stats.append(row);
    }
    const charts = gpuCharts(g.index).map(createChart);
    panel.append(heading, stats, ...charts.map((c) => c.block));
    parts.set(panel, {
      heading,
      title,
      name,
      vendor,
      figures,
      charts: charts.map((c) => c.parts),
    });
    return panel;
  }

  /**
   * @param {HTMLElement} panel
   * @param {Gpu} g
   */
  function updatePanel(panel, g) {
    const p = /** @type {PanelParts} */ (parts.get(panel));
    const f = gpuFigures(g, level);
    setAttr(p.heading, 'aria-label', f.heading); // its parts are apart for the eye only
    setText(p.title, f.title);
    setText(p.name, f.name);
    setText(p.vendor, f.vendor);
    for (const [key] of FIGURES) {
      updateFigure(p.figures[key], f[key]);
    }
  }

  /** @param {HTMLElement} panel */
  function drop(panel) {
    for (const chart of /** @type {PanelParts} */ (parts.get(panel)).charts) {
      resizer.unobserve(chart.el);
      chart.plot?.destroy();
      chart.plot = null;
    }
  }

  /** @param {Gpu[] | null | undefined} gpus null: could not be read; [] none on this host */
  function render(gpus) {
    const shown = sortGpus(gpus);
    const before = new Map(panels);
    /** @type {HTMLElement[]} */
    const added = [];
    syncKeyed(
      container,
      panels,
      shown,
      (g) => String(g.index),
      (g) => {
        const panel = createPanel(g);
        added.push(panel);
        return panel;
      },
      updatePanel,
    );
    container.hidden = shown.length === 0;
    for (const [key, panel] of before) {
      if (!panels.has(key)) {
        drop(panel);
      }
    }
    // A new panel draws its charts at once (over a range too); the others as samples come,
    // and not while a range is shown or the tab is hidden.
    for (const panel of added) {
      for (const chart of /** @type {PanelParts} */ (parts.get(panel)).charts) {
        setAttr(chart.el, 'aria-label', chartLabel(chart.def.spec, rangeName));
        resizer.observe(chart.el);
      }
      drawPanel(panel);
    }
    if (view !== null) {
      return;
    }
    if (document.hidden) {
      dirty = true;
      return;
    }
    for (const [key, panel] of panels) {
      if (before.has(key)) {
        drawPanel(panel);
      }
    }
  }

  return {
    render,
    clear: () => render(null),
    /**
     * Draws `range`'s rollups until showLive(), as the host's charts do.
     * @param {RollupView} range
     * @param {string} name what the range is, for assistive technology
     */
    showRange(range, name) {
      timeline = range.timeline;
      view = { span: range.span };
      rangeName = name;
      rangePoints = range.points;
      rebuild();
    },
    /** Back to the live timeline. */
    showLive() {
      timeline = live;
      view = null;
      rangeName = null;
      rebuild();
    },
    /** Canvas colours come from the theme. */
    rebuild,
  };
}

/** @typedef {ReturnType<typeof createGpusPanel>} GpusPanel */
