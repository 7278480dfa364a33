// @ts-check
// The Container panel, shown only when vitals runs inside a container.

import { $, setText } from '../dom.js';
import { fmtBytes, isNum } from '../format.js';

/** @typedef {import('../types.js').Container} Container */

export function createContainerPanel() {
  const panel = $('container-panel');
  const [cgroup, memory, cpu, scope] = ['cgroup', 'memory', 'cpu', 'scope'].map((id) =>
    $(`container-${id}`),
  );

  /** @param {Container | null | undefined} c */
  function render(c) {
    panel.hidden = !c?.inContainer;
    if (!c?.inContainer) {
      return;
    }
    setText(cgroup, c.cgroup ?? 'none');
    setText(memory, isNum(c.memoryLimit) ? fmtBytes(c.memoryLimit) : 'unlimited');
    setText(cpu, isNum(c.cpuLimit) ? `${c.cpuLimit} cores` : 'unlimited');
    setText(scope, c.hostProc ? 'the host' : 'the container');
  }

  return { render, clear: () => render(null) };
}
