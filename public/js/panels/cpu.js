// @ts-check
// The CPU panel: usage, temperature, load, the modes, and a bar per core.

import { $, el, markLevel, setAttr, setText, showLevel } from '../dom.js';
import { clampPct, fmtLoad, fmtPct, fmtTemp, isNum } from '../format.js';
import { MODES } from '../timeline.js';

/** @typedef {import('../types.js').Cpu} Cpu */
/** @typedef {(metric: string, v: unknown) => import('../thresholds.js').Level} LevelOf */

/**
 * A core's bar: a meter read as "Core 0: 45.0 %, warning"; past a threshold its fill is
 * striped as well as coloured.
 * @param {number} index
 */
function createCore(index) {
  const node = el('div', 'core');
  node.dataset.core = String(index);
  node.setAttribute('role', 'meter');
  node.setAttribute('aria-label', `Core ${index}`);
  node.setAttribute('aria-valuemin', '0');
  node.setAttribute('aria-valuemax', '100');
  node.append(el('span', 'core-fill'), el('span', 'core-label', String(index)));
  return node;
}

/** @param {LevelOf} level */
export function createCpuPanel(level) {
  const usage = $('cpu-usage');
  const usageLevel = $('cpu-usage-level');
  const modes = /** @type {const} */ ([...MODES, 'idle']).map(
    (mode) => /** @type {const} */ ([mode, $(`cpu-${mode}`)]),
  );
  const loads = ['load-1', 'load-5', 'load-15'].map((id) => $(id));
  const temp = $('cpu-temp');
  const cores = $('cores');
  const coreCount = $('core-count');
  /** @type {HTMLElement[]} */
  let coreNodes = [];

  /** @param {number[]} values */
  function renderCores(values) {
    if (coreNodes.length !== values.length) {
      coreNodes = values.map((_, i) => createCore(i));
      cores.replaceChildren(...coreNodes);
      setText(coreCount, `${values.length} ${values.length === 1 ? 'core' : 'cores'}`);
    }
    values.forEach((v, i) => {
      const node = /** @type {HTMLElement} */ (coreNodes[i]);
      const atLevel = level('cpu.usage', v);
      const text = atLevel ? `${fmtPct(v)}, ${atLevel}` : fmtPct(v);
      node.dataset.value = String(v);
      /** @type {HTMLElement} */ (node.firstChild).style.height = `${clampPct(v)}%`;
      setAttr(node, 'title', `Core ${i}: ${text}`);
      setAttr(node, 'aria-valuenow', String(clampPct(v)));
      setAttr(node, 'aria-valuetext', text);
      markLevel(node, atLevel);
    });
  }

  return {
    /**
     * A group that is null (the host could not provide it) renders as an empty one: every
     * figure a dash. One left out by `groups=` (undefined) is not rendered at all.
     * @param {Cpu | null | undefined} cpu
     * @param {{ cpuTempC?: number | null } | null | undefined} sensors
     */
    render(cpu, sensors) {
      if (cpu === undefined) {
        return;
      }
      const c = cpu ?? {};
      usage.dataset.value = isNum(c.usage) ? String(c.usage) : '';
      setText(usage, fmtPct(c.usage));
      showLevel(usage, usageLevel, level('cpu.usage', c.usage));
      for (const [mode, node] of modes) {
        setText(node, fmtPct(c[mode]));
      }
      const load = Array.isArray(c.load) ? c.load : [];
      loads.forEach((node, i) => setText(node, fmtLoad(load[i])));
      setText(temp, fmtTemp(sensors?.cpuTempC));
      renderCores(Array.isArray(c.cores) ? c.cores : []);
    },
    clear() {
      usage.dataset.value = '';
      showLevel(usage, usageLevel, '');
      coreNodes = [];
      cores.replaceChildren();
      setText(coreCount, '');
    },
  };
}
