// @ts-check
// The charts: uPlot (its ESM build, served by vitals) drawing views over the timeline.

import uPlot from '../vendor/uplot/uPlot.esm.js';
import { CHART_HEIGHT, CHART_SPECS, chartOptions, seriesKeys } from './chart-options.js';
import { $, setAttr } from './dom.js';
import { column } from './timeline.js';

/** @typedef {import('./chart-options.js').ChartSpec} ChartSpec */
/** @typedef {import('./chart-options.js').Line} Line */
/** @typedef {import('./timeline.js').Timeline} Timeline */
/** @typedef {import('./chart-options.js').RangeView} RangeView */
/** @typedef {import('./rollup-series.js').RollupView} RollupView */

/**
 * A chart on the page: its spec, element, and the plot drawn from the lines built last.
 * @typedef {object} Chart
 * @property {ChartSpec} spec
 * @property {HTMLElement} el
 * @property {uPlot | null} plot
 * @property {Line[]} built
 * @property {string} builtKey the built lines' keys: another set means a rebuild
 * @property {((number | null)[] | null)[]} raw copies of the raw columns of stacked lines
 */

/** @param {string} name */
function themeColor(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888888';
}

/** @param {Line[]} lines */
const keyOf = (lines) => lines.map((line) => line.key).join('\u0001');

/** @param {Chart} chart */
const chartWidth = (chart) => Math.max(160, Math.floor(chart.el.clientWidth));

/**
 * Every chart of the page, over the live `timeline` or, when a range is shown, its rollups.
 * @param {Timeline} live
 */
export function createCharts(live) {
  /** @type {Chart[]} */
  const charts = CHART_SPECS.map((spec) => ({
    spec,
    el: $(spec.id),
    plot: null,
    built: [],
    builtKey: '',
    raw: [],
  }));
  const points = $('cpu-chart');
  let dirty = false; // samples arrived while the tab was hidden
  let timeline = live; // what the charts draw: the live timeline or a range's
  /** @type {RangeView} null: live */
  let view = null;

  /**
   * Copies, so uPlot never sees the shared columns change under it between redraws.
   * @param {Chart} chart
   * @returns {uPlot.AlignedData}
   */
  function data(chart) {
    chart.raw = chart.built.map((line) => (line.raw ? column(timeline, line.raw).slice() : null));
    const keys = seriesKeys(chart.spec, chart.built, view);
    return [timeline.x.slice(), ...keys.map((key) => column(timeline, key).slice())];
  }

  /** @param {Chart} chart */
  function build(chart) {
    chart.plot?.destroy();
    chart.built = chart.spec.lines(timeline.ifaces);
    chart.builtKey = keyOf(chart.built);
    const options = chartOptions(
      chart.spec,
      chart.built,
      () => chart.raw,
      chartWidth(chart),
      themeColor,
      view,
    );
    chart.plot = new uPlot(options, data(chart), chart.el);
  }

  // Charts follow their container's width (phones, rotation, window resizes).
  const resizer = new ResizeObserver((entries) => {
    for (const entry of entries) {
      const chart = charts.find((c) => c.el === entry.target);
      if (!chart?.plot) {
        continue;
      }
      const width = chartWidth(chart);
      if (width !== chart.plot.width) {
        chart.plot.setSize({ width, height: CHART_HEIGHT });
      }
    }
  });

  /** Draws the timeline as it is now; a hidden tab catches up once visible again. */
  function refresh() {
    if (view) {
      return; // a range is shown: the live timeline fills on in the background
    }
    setAttr(points, 'data-points', String(timeline.x.length));
    if (document.hidden) {
      dirty = true;
      return;
    }
    dirty = false;
    for (const chart of charts) {
      if (keyOf(chart.spec.lines(timeline.ifaces)) !== chart.builtKey) {
        build(chart); // e.g. a new network interface
      } else {
        chart.plot?.setData(data(chart));
      }
    }
  }

  return {
    /** Draws every chart and follows their sizes. */
    start() {
      for (const chart of charts) {
        chart.el.setAttribute('role', 'figure');
        chart.el.setAttribute('aria-label', chart.spec.label);
        resizer.observe(chart.el);
        build(chart);
      }
      document.addEventListener('visibilitychange', () => {
        if (!document.hidden && dirty) {
          refresh();
        }
      });
    },
    refresh,
    /**
     * Draws `range`'s rollups (average lines, min–max bands) until showLive().
     * @param {RollupView} range
     * @param {string} name what the range is, for assistive technology
     */
    showRange(range, name) {
      timeline = range.timeline;
      view = { span: range.span };
      setAttr(points, 'data-points', String(range.points));
      for (const chart of charts) {
        const what = chart.spec.label.replace(/ over the last minutes$/, '');
        setAttr(chart.el, 'aria-label', `${what}, ${name}: averages with min–max bands`);
        build(chart);
      }
    },
    /** Back to the live timeline. */
    showLive() {
      timeline = live;
      view = null;
      for (const chart of charts) {
        setAttr(chart.el, 'aria-label', chart.spec.label);
        build(chart);
      }
      refresh();
    },
    /** Draws every chart anew, keeping the timeline: canvas colours come from the theme. */
    rebuild() {
      charts.forEach(build);
    },
  };
}

/** @typedef {ReturnType<typeof createCharts>} Charts */
