// @ts-check
// The Containers panel: a row per container on the host, kept by id and sorted by the column
// chosen (remembered), with a CPU sparkline each. Hidden where containers cannot be read.

import {
  SORT_KEYS,
  containerLabel,
  nextSort,
  parseSort,
  rowFigures,
  sortContainers,
  sortText,
  sparkPath,
  sparkTop,
} from '../containers.js';
import { $, el, markLevel, setAttr, setText, syncKeyed } from '../dom.js';

/** @typedef {import('../types.js').ContainerStats} ContainerStats */
/** @typedef {import('../containers.js').Sort} Sort */
/** @typedef {import('../containers.js').SortKey} SortKey */
/** @typedef {import('../containers.js').RowFigures} RowFigures */
/** @typedef {import('../containers.js').SparkHistory} SparkHistory */
/** @typedef {(metric: string, v: unknown) => import('../thresholds.js').Level} LevelOf */

const SORT_STORE_KEY = 'vitals.containers.sort';
const SVG = 'http://www.w3.org/2000/svg';
const SPARK_HEIGHT = 20;

/**
 * @typedef {object} RowParts
 * @property {HTMLElement} name
 * @property {HTMLElement} label
 * @property {HTMLElement} runtime
 * @property {HTMLElement} detail
 * @property {SVGSVGElement} spark
 * @property {SVGPathElement} line
 * @property {Figure} cpu
 * @property {Figure} memory
 * @property {HTMLElement} network
 * @property {HTMLElement} rx
 * @property {HTMLElement} tx
 * @property {HTMLElement} shared
 * @property {HTMLElement} read
 * @property {HTMLElement} write
 * @property {HTMLElement} pids
 */
/** @typedef {{ cell: HTMLElement, value: HTMLElement, mark: HTMLElement, sub: HTMLElement }} Figure */

/** @type {WeakMap<HTMLTableRowElement, RowParts>} */
const parts = new WeakMap();

/** @returns {Sort} */
function storedSort() {
  try {
    return parseSort(localStorage.getItem(SORT_STORE_KEY));
  } catch {
    return parseSort(null); // storage can be disabled
  }
}

/** @param {Sort} sort */
function storeSort(sort) {
  try {
    localStorage.setItem(SORT_STORE_KEY, sortText(sort));
  } catch {
    // not remembered, still applied
  }
}

/**
 * A figure in a cell: its value, the word that marks its level, a muted line below.
 * @param {HTMLElement} cell marked with the level
 * @param {HTMLElement} [into] where in the cell the figure goes
 * @returns {Figure}
 */
function createFigure(cell, into = cell) {
  const value = el('span', 'figure-value');
  const mark = el('span', 'level-mark');
  const sub = el('span', 'sub muted');
  const line = el('span', 'figure-line');
  line.append(value, mark);
  into.append(line, sub);
  return { cell, value, mark, sub };
}

/**
 * @param {Figure} figure
 * @param {string} value
 * @param {string} sub
 * @param {{ level: import('../thresholds.js').Level, mark: string }} mark
 */
function updateFigure(figure, value, sub, mark) {
  setText(figure.value, value);
  setText(figure.mark, mark.mark);
  setText(figure.sub, sub);
  markLevel(figure.cell, mark.level);
}

/**
 * A line "<value> <what>" of a two-figure cell (in / out, read / write).
 * @param {HTMLElement} cell
 * @param {string} what
 */
function createPair(cell, what) {
  const line = el('span', 'pair-line');
  const value = el('span');
  line.append(value, ` ${what}`);
  cell.append(line);
  return value;
}

/** @param {ContainerStats} c */
function createRow(c) {
  const row = el('tr');
  row.dataset.id = c.id;

  const name = el('th', 'container-name');
  name.scope = 'row';
  const label = el('span', 'container-label');
  const runtime = el('span', 'runtime');
  const detail = el('span', 'sub muted');
  name.append(label, runtime, detail);

  const cpuCell = el('td', 'num container-cpu');
  const spark = document.createElementNS(SVG, 'svg');
  spark.classList.add('spark');
  spark.setAttribute('aria-hidden', 'true');
  spark.setAttribute('focusable', 'false');
  spark.setAttribute('preserveAspectRatio', 'none');
  const line = document.createElementNS(SVG, 'path');
  spark.append(line);
  const cpuFigures = el('span', 'figures');
  const sparkCell = el('span', 'spark-cell');
  sparkCell.append(spark, cpuFigures);
  cpuCell.append(sparkCell);
  const cpu = createFigure(cpuCell, cpuFigures);

  const memory = createFigure(el('td', 'num container-memory'));
  const network = el('td', 'num container-network');
  const rx = createPair(network, 'in');
  const tx = createPair(network, 'out');
  const shared = el('span', 'sub muted');
  network.append(shared);
  const disk = el('td', 'num container-disk');
  const read = createPair(disk, 'read');
  const write = createPair(disk, 'write');
  const pids = el('td', 'num container-pids');

  row.append(name, cpuCell, memory.cell, network, disk, pids);
  parts.set(row, {
    name,
    label,
    runtime,
    detail,
    spark,
    line,
    cpu,
    memory,
    network,
    rx,
    tx,
    shared,
    read,
    write,
    pids,
  });
  return row;
}

/**
 * @param {LevelOf} level
 * @param {SparkHistory} sparks each container's recent CPU, kept by the page
 */
export function createContainersPanel(level, sparks) {
  const panel = $('containers-panel');
  const body = $('containers');
  const table = $('containers-table');
  const empty = $('containers-empty');
  const count = $('containers-count');
  const headers = SORT_KEYS.map((key) => {
    const th = /** @type {HTMLElement} */ (panel.querySelector(`th[data-sort="${key}"]`));
    const button = /** @type {HTMLButtonElement} */ (th.querySelector('button'));
    const arrow = /** @type {HTMLElement} */ (th.querySelector('.sort-arrow'));
    return /** @type {const} */ ({ key, th, button, arrow });
  });
  /** @type {Map<string, HTMLTableRowElement>} id → row */
  const rows = new Map();
  let sort = storedSort();
  /** @type {ContainerStats[]} the list shown, re-sorted when the sort changes */
  let shown = [];

  /**
   * @param {HTMLTableRowElement} row
   * @param {ContainerStats} c
   * @param {ReadonlyMap<string, string>} labels
   */
  function updateRow(row, c, labels) {
    const p = /** @type {RowParts} */ (parts.get(row));
    const f = rowFigures(c, labels, level);
    setText(p.label, f.label);
    p.label.classList.toggle('mono', !f.named);
    setAttr(p.name, 'title', [f.label, c.id, c.cgroup ?? ''].filter(Boolean).join('\n'));
    setText(p.runtime, f.runtime);
    setText(p.detail, f.detail);

    const values = sparks.byId.get(c.id) ?? [];
    setAttr(p.spark, 'viewBox', `0 0 ${sparks.capacity - 1} ${SPARK_HEIGHT}`);
    setAttr(p.spark, 'data-points', String(values.length));
    setAttr(p.line, 'd', sparkPath(values, sparks.capacity, SPARK_HEIGHT, sparkTop(values)));
    setAttr(p.cpu.cell, 'data-value', String(c.cpu ?? ''));
    updateFigure(p.cpu, f.cpu, f.cpuLimit, f.cpuMark);
    setAttr(p.memory.cell, 'data-value', String(c.memory ?? ''));
    updateFigure(p.memory, f.memory, f.memoryLimit, f.memoryMark);

    p.network.classList.toggle('shared', f.sharedWith !== null);
    setText(p.rx, f.rx);
    setText(p.tx, f.tx);
    setText(p.shared, f.sharedWith === null ? '' : `shared with ${f.sharedWith}`);
    setText(p.read, f.read);
    setText(p.write, f.write);
    setText(p.pids, f.pids);
  }

  function showSort() {
    for (const { key, th, arrow } of headers) {
      if (key === sort.key) {
        setAttr(th, 'aria-sort', sort.direction);
      } else {
        th.removeAttribute('aria-sort');
      }
      setText(arrow, key !== sort.key ? '' : sort.direction === 'ascending' ? '▲' : '▼');
    }
  }

  function draw() {
    const labels = new Map(shown.map((c) => [c.id, containerLabel(c)]));
    syncKeyed(
      body,
      rows,
      sortContainers(shown, sort),
      (c) => c.id,
      createRow,
      (row, c) => updateRow(row, c, labels),
    );
  }

  for (const { key, button } of headers) {
    button.addEventListener('click', () => {
      sort = nextSort(sort, key);
      storeSort(sort);
      showSort();
      draw();
    });
  }
  showSort();

  /** @param {ContainerStats[] | null | undefined} containers null: not readable on this host */
  function render(containers) {
    panel.hidden = !Array.isArray(containers);
    shown = Array.isArray(containers) ? containers : [];
    table.hidden = shown.length === 0;
    empty.hidden = !Array.isArray(containers) || shown.length > 0;
    setText(count, Array.isArray(containers) ? String(shown.length) : '');
    draw();
  }

  return { render, clear: () => render(undefined) };
}
