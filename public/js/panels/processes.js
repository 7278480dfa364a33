// @ts-check
// The Processes panel: counts, and the busiest processes. Rows are reused by position: the
// list reorders every refresh anyway. The GPU memory column shows only while some process
// holds GPU memory.

import { $, el, setAttr, setText } from '../dom.js';
import { DASH, fmtBytes, isNum } from '../format.js';
import { showsGpuMemory } from '../gpus.js';

/** @typedef {import('../types.js').Processes} Processes */

function createRow() {
  const row = el('tr');
  row.append(
    el('td', 'num'),
    el('td', 'name'),
    el('td', 'num'),
    el('td', 'num'),
    el('td', 'num'),
    el('td', 'num gpu-memory'),
  );
  return row;
}

/** @param {unknown} v */
const fixed1 = (v) => (isNum(v) ? v.toFixed(1) : DASH);

export function createProcessesPanel() {
  const body = /** @type {HTMLTableSectionElement} */ ($('processes'));
  const table = $('processes-table');
  const total = $('proc-total');
  const running = $('proc-running');

  /** @param {Processes | null | undefined} processes */
  function render(processes) {
    const top = Array.isArray(processes?.top) ? processes.top : [];
    setText(total, isNum(processes?.total) ? String(processes.total) : DASH);
    setText(running, isNum(processes?.running) ? String(processes.running) : DASH);
    table.classList.toggle('with-gpu', showsGpuMemory(top));
    while (body.rows.length > top.length) {
      body.lastElementChild?.remove();
    }
    while (body.rows.length < top.length) {
      body.append(createRow());
    }
    top.forEach((p, i) => {
      const [pid, name, cpu, memory, rss, gpuMemory] = /** @type {HTMLTableRowElement} */ (
        body.rows[i]
      ).cells;
      const text = String(p.name ?? '');
      setText(pid, String(p.pid));
      setText(name, text);
      setAttr(name, 'title', text); // long names are cut with an ellipsis
      setText(cpu, fixed1(p.cpu));
      setText(memory, fixed1(p.memory));
      setText(rss, fmtBytes(p.rss));
      setText(gpuMemory, fmtBytes(p.gpuMemory)); // a dash: it holds none
    });
  }

  return { render, clear: () => render(null) };
}
