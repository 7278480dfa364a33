// @ts-check
// Every panel that shows a sample: created once, rendered per sample, cleared on a host switch.

import { setText } from '../dom.js';
import { DASH } from '../format.js';
import { createContainerPanel } from './container.js';
import { createContainersPanel } from './containers.js';
import { createCpuPanel } from './cpu.js';
import { createDisksPanel } from './disks.js';
import { createGpusPanel } from './gpus.js';
import { createHeader } from './header.js';
import { createMemoryPanel } from './memory.js';
import { createNetworkPanel } from './network.js';
import { createProcessesPanel } from './processes.js';
import { createSelfPanel } from './self.js';

/** @typedef {import('../types.js').Sample} Sample */
/** @typedef {(metric: string, v: unknown) => import('../thresholds.js').Level} LevelOf */
/** @typedef {import('../containers.js').SparkHistory} SparkHistory */
/** @typedef {import('../timeline.js').Timeline} Timeline */

/**
 * @param {LevelOf} level the level of a value, from the thresholds in force
 * @param {SparkHistory} sparks each container's recent CPU, kept by the page
 * @param {Timeline} timeline the page's timeline, which each GPU's charts draw from
 * @param {(title: string) => void} setTitle sets the page title (the host's name)
 */
export function createPanels(level, sparks, timeline, setTitle) {
  const header = createHeader(setTitle);
  const cpu = createCpuPanel(level);
  const memory = createMemoryPanel(level);
  const disks = createDisksPanel(level);
  const network = createNetworkPanel();
  const processes = createProcessesPanel();
  const container = createContainerPanel();
  const containers = createContainersPanel(level, sparks);
  const gpus = createGpusPanel(level, timeline);
  const self = createSelfPanel();

  return {
    header,
    /** the GPUs' charts follow the range shown and the theme, as the host's charts do */
    gpus,
    /** @param {Sample} s */
    render(s) {
      header.render(s);
      cpu.render(s.cpu, s.sensors);
      memory.render(s.memory);
      if ('disks' in s) {
        disks.renderDisks(s.disks);
      }
      disks.renderIo(s.diskIo);
      if ('network' in s) {
        network.render(s.network);
      }
      if ('processes' in s) {
        processes.render(s.processes);
      }
      if ('container' in s) {
        container.render(s.container);
      }
      if ('containers' in s) {
        containers.render(s.containers);
      }
      if ('gpus' in s) {
        gpus.render(s.gpus);
      }
      self.render(s.self);
      document.body.dataset.sampleId = String(s.id);
    },
    /**
     * Every reading back to its empty state, so nothing of the previous host stays on show.
     * @param {string | null} followed
     */
    clear(followed) {
      header.clear(followed);
      for (const node of document.querySelectorAll(
        'main dd[id], main dd span[id]:not(.level-mark)',
      )) {
        setText(node, DASH);
        node.classList.remove('warning', 'critical');
      }
      for (const panel of [cpu, memory, disks, network, processes, container, containers, gpus]) {
        panel.clear();
      }
      delete document.body.dataset.sampleId;
    },
  };
}

/** @typedef {ReturnType<typeof createPanels>} Panels */
