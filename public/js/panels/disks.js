// @ts-check
// The Disks panel: a bar per filesystem, and the I/O rates.

import { $, el, markLevel, setAttr, setText, showLevel, syncKeyed } from '../dom.js';
import { clampPct, fmtBytes, fmtOps, fmtPct, fmtRate } from '../format.js';

/** @typedef {import('../types.js').Disk} Disk */
/** @typedef {import('../types.js').DiskIo} DiskIo */
/** @typedef {(metric: string, v: unknown) => import('../thresholds.js').Level} LevelOf */
/**
 * A filesystem's nodes: its percentage and the word marking its level, its bar, the line below.
 * @typedef {object} DiskParts
 * @property {HTMLElement} pct
 * @property {HTMLElement} mark
 * @property {HTMLElement} bar
 * @property {HTMLElement} fill
 * @property {HTMLElement} detail
 */

/** @param {LevelOf} level */
export function createDisksPanel(level) {
  const list = $('disks');
  const empty = $('disks-empty');
  const io = ['io-read', 'io-write', 'io-read-ops', 'io-write-ops'].map((id) => $(id));
  /** @type {Map<string, HTMLElement>} mount → element */
  const nodes = new Map();
  /** @type {WeakMap<HTMLElement, DiskParts>} */
  const parts = new WeakMap();

  /** @param {Disk} disk */
  function create(disk) {
    const node = el('div', 'disk');
    node.dataset.mount = disk.mount;
    const head = el('div', 'disk-head');
    const pct = el('span', 'disk-pct');
    const mark = el('span', 'level-mark');
    const figure = el('span', 'disk-figure');
    figure.append(pct, mark);
    head.append(el('span', 'disk-mount', disk.mount), figure);
    const bar = el('div', 'bar');
    bar.setAttribute('role', 'meter');
    bar.setAttribute('aria-valuemin', '0');
    bar.setAttribute('aria-valuemax', '100');
    bar.setAttribute('aria-label', `${disk.mount} usage`);
    const fill = el('div', 'bar-fill');
    bar.append(fill);
    const detail = el('div', 'disk-detail muted');
    node.append(head, bar, detail);
    parts.set(node, { pct, mark, bar, fill, detail });
    return node;
  }

  /**
   * @param {HTMLElement} node
   * @param {Disk} disk
   */
  function update(node, disk) {
    const { pct, mark, bar, fill, detail } = /** @type {DiskParts} */ (parts.get(node));
    const atLevel = level('disks[].usage', disk.usage);
    node.dataset.value = String(disk.usage);
    setText(pct, fmtPct(disk.usage));
    setAttr(bar, 'aria-valuenow', String(disk.usage));
    setAttr(
      bar,
      'aria-valuetext',
      atLevel ? `${fmtPct(disk.usage)}, ${atLevel}` : fmtPct(disk.usage),
    );
    fill.style.width = `${clampPct(disk.usage)}%`;
    setText(detail, `${fmtBytes(disk.used)} of ${fmtBytes(disk.size)} · ${disk.type} · ${disk.fs}`);
    showLevel(pct, mark, atLevel);
    markLevel(bar, atLevel);
  }

  /** @param {Disk[] | null | undefined} disks null or undefined: not read yet */
  function renderDisks(disks) {
    const items = Array.isArray(disks) ? disks : [];
    syncKeyed(list, nodes, items, (d) => d.mount, create, update);
    empty.hidden = items.length > 0;
    setText(empty, disks == null ? 'Not read yet' : 'No filesystems');
  }

  return {
    renderDisks,
    /** @param {DiskIo | null | undefined} diskIo */
    renderIo(diskIo) {
      if (diskIo === undefined) {
        return;
      }
      const d = diskIo ?? {};
      const [read, write, readOps, writeOps] = io;
      setText(read, fmtRate(d.readBytesPerSec));
      setText(write, fmtRate(d.writeBytesPerSec));
      setText(readOps, fmtOps(d.readOpsPerSec));
      setText(writeOps, fmtOps(d.writeOpsPerSec));
    },
    clear() {
      renderDisks(undefined);
    },
  };
}
