// vitals dashboard: history on load, then one EventSource; uPlot charts over a bounded timeline.
// No build step and no other origin: uPlot is the global from /vendor/uplot/uPlot.iife.min.js.

const MAX_POINTS = 300; // per chart: five minutes at 1 Hz, so a page open for days stays small
const THEME_KEY = 'vitals-theme';
const HOST_KEY = 'vitals.host';
const HOSTS_WAITING_MS = 5_000; // a gateway with no agent yet: look again soon
const HOSTS_REFRESH_MS = 10_000; // a gateway's agents come and go
const DASH = '—';
const MODES = ['user', 'system', 'iowait', 'steal'];
const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

// ---------------------------------------------------------------------------------------------
// Theme, first of all, so the page does not sit in the wrong colours for long.

const darkQuery = window.matchMedia('(prefers-color-scheme: dark)');

function storedTheme() {
  try {
    const value = localStorage.getItem(THEME_KEY);
    return value === 'light' || value === 'dark' ? value : null;
  } catch {
    return null; // storage can be disabled; the system preference still works
  }
}

function applyTheme(theme) {
  document.documentElement.dataset.theme = theme;
  const toggle = document.getElementById('theme-toggle');
  if (toggle) {
    const next = theme === 'dark' ? 'light' : 'dark';
    toggle.textContent = theme === 'dark' ? '☀ Light' : '☾ Dark';
    toggle.setAttribute('aria-label', `Switch to ${next} theme`);
  }
}

applyTheme(storedTheme() ?? (darkQuery.matches ? 'dark' : 'light'));

// ---------------------------------------------------------------------------------------------
// Small helpers. Writes are skipped when nothing changed, so a tick touches few DOM nodes.

const $ = (id) => document.getElementById(id);
const isNum = (v) => typeof v === 'number' && Number.isFinite(v);
const clampPct = (v) => (isNum(v) ? Math.min(100, Math.max(0, v)) : 0);

function setText(el, text) {
  if (el && el.textContent !== text) el.textContent = text;
}

function setAttr(el, name, value) {
  if (el && el.getAttribute(name) !== value) el.setAttribute(name, value);
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function parse(data) {
  try {
    return JSON.parse(data);
  } catch {
    return null; // a malformed frame is skipped, not fatal
  }
}

// Event ids: numbers from a standalone vitals; on a gateway, Redis Stream ids such as
// "1795550910600-0" (milliseconds, then a sequence). Both arrive as text in SSE id lines.
// Never Number() a whole id: "…-0" is NaN, and NaN compares false with everything.
const ID_FORMAT = /^(\d{1,15})(?:-(\d{1,20}))?$/;

// [milliseconds, sequence] of an id of either form; null when it is not an id.
function idParts(id) {
  const m = typeof id === 'number' || typeof id === 'string' ? ID_FORMAT.exec(String(id)) : null;
  return m ? [parseInt(m[1], 10), parseInt(m[2] ?? '0', 10)] : null;
}

const isId = (id) => idParts(id) !== null;

// Negative, zero or positive as id a is before, equal to or after id b. A malformed id sorts
// before every real one, so it never counts as newer.
function compareIds(a, b) {
  const [aMs, aSeq] = idParts(a) ?? [-1, -1];
  const [bMs, bSeq] = idParts(b) ?? [-1, -1];
  return aMs - bMs || aSeq - bSeq;
}

async function getJson(url) {
  const res = await fetch(url, { headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.json();
}

// ---------------------------------------------------------------------------------------------
// Formatting for people.

function fmtPct(v) {
  return isNum(v) ? `${v.toFixed(1)} %` : DASH;
}

function fmtBytes(v) {
  if (!isNum(v)) return DASH;
  let n = Math.abs(v);
  let i = 0;
  while (n >= 1024 && i < UNITS.length - 1) {
    n /= 1024;
    i++;
  }
  return i === 0 ? `${Math.round(v)} B` : `${(Math.sign(v) * n).toFixed(1)} ${UNITS[i]}`;
}

const fmtRate = (v) => (isNum(v) ? `${fmtBytes(v)}/s` : DASH);
const fmtOps = (v) => (isNum(v) ? `${v.toFixed(v < 10 ? 1 : 0)}/s` : DASH);
const fmtLoad = (v) => (isNum(v) ? v.toFixed(2) : DASH);
const fmtTemp = (v) => (isNum(v) ? `${v.toFixed(1)} °C` : DASH);

function fmtUptime(seconds) {
  if (!isNum(seconds)) return DASH;
  const s = Math.floor(seconds);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d} d ${h} h`;
  if (h > 0) return `${h} h ${m} min`;
  return `${m} min ${s % 60} s`;
}

function fmtTime(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return DASH;
  const sameDay = date.toDateString() === new Date().toDateString();
  return sameDay ? date.toLocaleTimeString() : date.toLocaleString();
}

const fmtClock = (seconds) =>
  isNum(seconds) ? new Date(seconds * 1000).toLocaleTimeString() : DASH;

// An alert's value in its metric's unit, as far as the path tells.
function fmtMetric(metric, v) {
  if (!isNum(v)) return DASH;
  if (/usage$/i.test(metric)) return fmtPct(v);
  if (/TempC$/.test(metric)) return fmtTemp(v);
  if (/BytesPerSec$/.test(metric)) return fmtRate(v);
  if (/(rss|total|used|available|Limit)$/i.test(metric)) return fmtBytes(v);
  return String(Math.round(v * 100) / 100);
}

// ---------------------------------------------------------------------------------------------
// Thresholds from the alert rules: a value at or above one gets class warning / critical.

const thresholds = new Map(); // metric path → { warning, critical }

const lower = (a, b) => (a == null ? (b ?? null) : b == null ? a : Math.min(a, b));

function setRules(rules) {
  thresholds.clear();
  for (const rule of Array.isArray(rules) ? rules : []) {
    // Several rules on one metric: the lowest threshold of each level is the one that matters.
    const t = thresholds.get(rule.metric) ?? { warning: null, critical: null };
    t.warning = lower(t.warning, rule.warning);
    t.critical = lower(t.critical, rule.critical);
    thresholds.set(rule.metric, t);
  }
}

function levelOf(metric, v) {
  const t = thresholds.get(metric);
  if (!t || !isNum(v)) return '';
  if (t.critical != null && v >= t.critical) return 'critical';
  if (t.warning != null && v >= t.warning) return 'warning';
  return '';
}

function markLevel(node, metric, v) {
  const level = levelOf(metric, v);
  node.classList.toggle('warning', level === 'warning');
  node.classList.toggle('critical', level === 'critical');
}

// ---------------------------------------------------------------------------------------------
// The timeline: one x array and one column per plotted value, all the same length, trimmed
// to MAX_POINTS. Charts are views over named columns.

const timeline = { x: [], cols: new Map() };
let netIfaces = []; // interfaces with data in the window, sorted, for the network chart

const netKey = (iface, dir) => `net\u0000${iface}\u0000${dir}`;

function column(key) {
  let col = timeline.cols.get(key);
  if (!col) {
    col = new Array(timeline.x.length).fill(null); // back-filled: it did not exist before
    timeline.cols.set(key, col);
  }
  return col;
}

function appendPoint(t, values) {
  for (const key of Object.keys(values)) column(key);
  const last = timeline.x[timeline.x.length - 1];
  // uPlot needs x ascending; a clock stepping back must not break the chart.
  timeline.x.push(last !== undefined && !(t > last) ? last + 0.001 : t);
  for (const [key, col] of timeline.cols) col.push(values[key] ?? null);
  if (timeline.x.length > MAX_POINTS) {
    timeline.x.shift();
    for (const col of timeline.cols.values()) col.shift();
  }
}

// The values one sample contributes to the charts.
function pointValues(s) {
  const v = {};
  if (s.cpu) {
    v['cpu.usage'] = s.cpu.usage;
    // uPlot has no stacking: plot running sums; a null mode (not reported) adds nothing.
    let sum = 0;
    for (const mode of MODES) {
      v[`cpu.${mode}`] = s.cpu[mode];
      sum += isNum(s.cpu[mode]) ? s.cpu[mode] : 0;
      v[`stack.${mode}`] = sum;
    }
  }
  if (s.memory) {
    v['mem.usage'] = s.memory.usage;
    v['swap.usage'] = s.memory.swapUsage;
  }
  if (s.diskIo) {
    v['io.read'] = s.diskIo.readBytesPerSec;
    v['io.write'] = s.diskIo.writeBytesPerSec;
  }
  for (const n of Array.isArray(s.network) ? s.network : []) {
    v[netKey(n.iface, 'rx')] = n.rxBytesPerSec;
    v[netKey(n.iface, 'tx')] = n.txBytesPerSec;
  }
  return v;
}

// Interfaces come and go: add new ones, drop those with nothing left in the window.
function updateInterfaces(sample) {
  const present = new Set(
    (Array.isArray(sample.network) ? sample.network : []).map((n) => n.iface),
  );
  const keep = (iface) =>
    present.has(iface) ||
    column(netKey(iface, 'rx')).some(isNum) ||
    column(netKey(iface, 'tx')).some(isNum);
  const next = [...new Set([...netIfaces, ...present])].filter(keep).sort();
  for (const iface of netIfaces) {
    if (!next.includes(iface)) {
      timeline.cols.delete(netKey(iface, 'rx'));
      timeline.cols.delete(netKey(iface, 'tx'));
    }
  }
  netIfaces = next;
}

// ---------------------------------------------------------------------------------------------
// Charts.

const pctAxis = { size: 48, values: (u, splits) => splits.map((v) => `${v} %`) };
const rateAxis = {
  size: 78,
  values: (u, splits) => splits.map((v) => fmtRate(v)),
  // 1-2-5 steps in powers of 1024, so ticks land on round KiB/MiB values.
  incrs: [0, 1, 2, 3, 4].flatMap((k) =>
    [1, 2, 5, 10, 20, 50, 100, 200, 500].map((m) => m * 1024 ** k),
  ),
};
const pctRange = [0, 100];
const rateRange = (u, min, max) => [0, isNum(max) && max > 0 ? max * 1.15 : 1024];

const charts = [
  {
    id: 'cpu-chart',
    axis: pctAxis,
    range: pctRange,
    lines: () => [{ key: 'cpu.usage', label: 'CPU', color: 1, fill: true, fmt: fmtPct }],
  },
  {
    id: 'cpu-modes-chart',
    axis: pctAxis,
    range: pctRange,
    stacked: true,
    lines: () =>
      MODES.map((mode, i) => ({
        key: `stack.${mode}`,
        raw: `cpu.${mode}`,
        label: mode,
        color: i + 1,
        fill: true,
        fmt: fmtPct,
      })),
  },
  {
    id: 'memory-chart',
    axis: pctAxis,
    range: pctRange,
    lines: () => [
      { key: 'mem.usage', label: 'Memory', color: 1, fill: true, fmt: fmtPct },
      { key: 'swap.usage', label: 'Swap', color: 2, fmt: fmtPct },
    ],
  },
  {
    id: 'disk-io-chart',
    axis: rateAxis,
    range: rateRange,
    lines: () => [
      { key: 'io.read', label: 'Read', color: 1, fmt: fmtRate },
      { key: 'io.write', label: 'Write', color: 2, fmt: fmtRate },
    ],
  },
  {
    id: 'network-chart',
    axis: rateAxis,
    range: rateRange,
    lines: () =>
      netIfaces.flatMap((iface, i) => [
        { key: netKey(iface, 'rx'), label: `${iface} rx`, color: (i % 6) + 1, fmt: fmtRate },
        {
          key: netKey(iface, 'tx'),
          label: `${iface} tx`,
          color: (i % 6) + 1,
          dash: [5, 4],
          fmt: fmtRate,
        },
      ]),
  },
];

const CHART_HEIGHT = 170;
const hasUPlot = typeof window.uPlot === 'function';
let chartsDirty = false;

function themeColor(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888888';
}

// '#rrggbb' + alpha → 'rgba(…)', for translucent fills of a theme colour.
function withAlpha(hex, alpha) {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) return hex;
  const [r, g, b] = m.slice(1).map((h) => parseInt(h, 16));
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

function chartWidth(spec) {
  return Math.max(160, Math.floor(spec.el.clientWidth));
}

function chartOptions(spec, width) {
  const text = themeColor('--muted');
  const grid = themeColor('--grid');
  const axis = {
    stroke: text,
    grid: { stroke: grid, width: 1 },
    ticks: { stroke: grid, width: 1 },
    font: '11px system-ui, sans-serif',
  };
  const series = spec.built.map((line, i) => {
    const color = themeColor(`--series-${line.color}`);
    return {
      label: line.label,
      stroke: color,
      width: 1.5,
      dash: line.dash,
      fill: line.fill ? withAlpha(color, spec.stacked ? 0.55 : 0.18) : undefined,
      // Without a hovered point (idx null) the legend shows the latest value; stacked lines
      // hold running sums, so their legend shows the mode's own share from the raw column.
      value: (u, v, si, idx) => {
        const values = line.raw ? spec.raw[i] : u.data[si];
        return line.fmt(values?.[idx ?? values.length - 1]);
      },
    };
  });
  return {
    width,
    height: CHART_HEIGHT,
    cursor: { drag: { x: false, y: false, setScale: false } },
    legend: { live: true },
    scales: { x: { time: true }, y: { range: spec.range } },
    axes: [{ ...axis }, { ...axis, ...spec.axis }],
    series: [{ value: (u, v, si, idx) => (idx == null ? 'latest' : fmtClock(v)) }, ...series],
    // Band i fills between stacked line i+1 and the one below it, so each mode is its own area.
    bands: spec.stacked ? spec.built.slice(1).map((_, i) => ({ series: [i + 2, i + 1] })) : [],
  };
}

function chartData(spec) {
  // Copies, so uPlot never sees the shared columns change under it between redraws.
  spec.raw = spec.built.map((line) => (line.raw ? column(line.raw).slice() : null));
  return [timeline.x.slice(), ...spec.built.map((line) => column(line.key).slice())];
}

function createChart(spec) {
  if (!hasUPlot || !spec.el) return;
  spec.plot?.destroy();
  spec.built = spec.lines();
  spec.builtKey = spec.built.map((line) => line.key).join('\u0001');
  spec.plot = new window.uPlot(chartOptions(spec, chartWidth(spec)), chartData(spec), spec.el);
}

function createCharts() {
  for (const spec of charts) createChart(spec);
}

function refreshCharts() {
  setAttr($('cpu-chart'), 'data-points', String(timeline.x.length));
  if (!hasUPlot) return;
  // A background tab needs no drawing; it catches up once visible again.
  if (document.hidden) {
    chartsDirty = true;
    return;
  }
  chartsDirty = false;
  for (const spec of charts) {
    const key = spec
      .lines()
      .map((line) => line.key)
      .join('\u0001');
    if (key !== spec.builtKey)
      createChart(spec); // e.g. a new network interface
    else spec.plot?.setData(chartData(spec));
  }
}

// Charts follow their container's width (phones, rotation, window resizes).
const resizer = new ResizeObserver((entries) => {
  for (const entry of entries) {
    const spec = charts.find((c) => c.el === entry.target);
    if (!spec?.plot) continue;
    const width = chartWidth(spec);
    if (width !== spec.plot.width) spec.plot.setSize({ width, height: CHART_HEIGHT });
  }
});

// ---------------------------------------------------------------------------------------------
// Panels: each updates existing nodes and creates nodes only when the shape changes.

// Keeps one element per key in `parent`, in the order of `items`; drops the ones gone.
function syncKeyed(parent, map, items, keyOf, create, update) {
  const seen = new Set();
  let prev = null;
  for (const item of items) {
    const key = keyOf(item);
    seen.add(key);
    let node = map.get(key);
    if (!node) {
      node = create(item);
      map.set(key, node);
    }
    update(node, item);
    const wanted = prev ? prev.nextSibling : parent.firstChild;
    if (node !== wanted) parent.insertBefore(node, wanted);
    prev = node;
  }
  for (const [key, node] of map) {
    if (!seen.has(key)) {
      node.remove();
      map.delete(key);
    }
  }
}

function renderHeader(s) {
  if (s.host && $('host').textContent !== s.host) {
    setText($('host'), s.host);
    document.title = `${s.host} · vitals`;
  }
  setText($('uptime'), fmtUptime(s.uptime));
  setText($('sample-time'), `Sample ${s.id} at ${fmtTime(s.timestamp)}`);
}

function renderValue(id, metric, v, fmt = fmtPct) {
  const node = $(id);
  setText(node, fmt(v));
  if (metric) markLevel(node, metric, v);
}

// A group that is null in the sample (the host could not provide it) renders as an empty one:
// every figure a dash. One left out by `groups=` (undefined) is not rendered at all.
function renderCpu(cpu, sensors) {
  if (cpu === undefined) return;
  cpu ??= {};
  const usage = $('cpu-usage');
  usage.dataset.value = isNum(cpu.usage) ? String(cpu.usage) : '';
  renderValue('cpu-usage', 'cpu.usage', cpu.usage);
  for (const mode of [...MODES, 'idle']) renderValue(`cpu-${mode}`, null, cpu[mode]);
  const load = Array.isArray(cpu.load) ? cpu.load : [];
  ['load-1', 'load-5', 'load-15'].forEach((id, i) => setText($(id), fmtLoad(load[i])));
  setText($('cpu-temp'), fmtTemp(sensors?.cpuTempC));
  renderCores(Array.isArray(cpu.cores) ? cpu.cores : []);
}

let coreNodes = [];

function createCore(index) {
  const node = el('div', 'core');
  node.dataset.core = String(index);
  node.append(el('span', 'core-fill'), el('span', 'core-label', String(index)));
  return node;
}

function renderCores(cores) {
  if (coreNodes.length !== cores.length) {
    coreNodes = cores.map((_, i) => createCore(i));
    $('cores').replaceChildren(...coreNodes);
    setText($('core-count'), `${cores.length} ${cores.length === 1 ? 'core' : 'cores'}`);
  }
  cores.forEach((v, i) => {
    const node = coreNodes[i];
    node.dataset.value = String(v);
    node.firstChild.style.height = `${clampPct(v)}%`;
    setAttr(node, 'title', `Core ${i}: ${fmtPct(v)}`);
    markLevel(node, 'cpu.usage', v);
  });
}

function renderMemory(mem) {
  if (mem === undefined) return;
  const unavailable = mem === null;
  mem ??= {};
  $('memory-usage').dataset.value = isNum(mem.usage) ? String(mem.usage) : '';
  renderValue('memory-usage', 'memory.usage', mem.usage);
  setText($('memory-used'), unavailable ? DASH : `${fmtBytes(mem.used)} / ${fmtBytes(mem.total)}`);
  setText($('memory-available'), fmtBytes(mem.available));
  renderValue('swap-usage', 'memory.swapUsage', mem.swapUsage, (v) =>
    isNum(v) ? fmtPct(v) : unavailable ? DASH : 'no swap',
  );
  setText(
    $('swap-used'),
    unavailable ? DASH : `${fmtBytes(mem.swapUsed)} / ${fmtBytes(mem.swapTotal)}`,
  );
}

const diskNodes = new Map(); // mount → element
const diskParts = new WeakMap(); // element → its parts

function createDisk(disk) {
  const node = el('div', 'disk');
  node.dataset.mount = disk.mount;
  const head = el('div', 'disk-head');
  const pct = el('span', 'disk-pct');
  head.append(el('span', 'disk-mount', disk.mount), pct);
  const bar = el('div', 'bar');
  bar.setAttribute('role', 'meter');
  bar.setAttribute('aria-valuemin', '0');
  bar.setAttribute('aria-valuemax', '100');
  bar.setAttribute('aria-label', `${disk.mount} usage`);
  const fill = el('div', 'bar-fill');
  bar.append(fill);
  const detail = el('div', 'disk-detail muted');
  node.append(head, bar, detail);
  diskParts.set(node, { pct, bar, fill, detail });
  return node;
}

function updateDisk(node, disk) {
  const { pct, bar, fill, detail } = diskParts.get(node);
  node.dataset.value = String(disk.usage);
  setText(pct, fmtPct(disk.usage));
  setAttr(bar, 'aria-valuenow', String(disk.usage));
  fill.style.width = `${clampPct(disk.usage)}%`;
  setText(detail, `${fmtBytes(disk.used)} of ${fmtBytes(disk.size)} · ${disk.type} · ${disk.fs}`);
  markLevel(pct, 'disks[].usage', disk.usage);
  markLevel(bar, 'disks[].usage', disk.usage);
}

function renderDisks(disks) {
  const list = Array.isArray(disks) ? disks : [];
  syncKeyed($('disks'), diskNodes, list, (d) => d.mount, createDisk, updateDisk);
  const empty = $('disks-empty');
  empty.hidden = list.length > 0;
  setText(empty, disks == null ? 'Not read yet' : 'No filesystems');
}

function renderDiskIo(io) {
  if (io === undefined) return;
  io ??= {};
  setText($('io-read'), fmtRate(io.readBytesPerSec));
  setText($('io-write'), fmtRate(io.writeBytesPerSec));
  setText($('io-read-ops'), fmtOps(io.readOpsPerSec));
  setText($('io-write-ops'), fmtOps(io.writeOpsPerSec));
}

const netRows = new Map(); // iface → <tr>

function createNetRow(n) {
  const row = el('tr');
  row.dataset.iface = n.iface;
  const name = el('th', '', n.iface);
  name.scope = 'row';
  row.append(name, el('td', 'num'), el('td', 'num'));
  return row;
}

function updateNetRow(row, n) {
  setText(row.cells[1], fmtRate(n.rxBytesPerSec));
  setText(row.cells[2], fmtRate(n.txBytesPerSec));
}

function renderNetwork(network) {
  const list = Array.isArray(network) ? network : [];
  syncKeyed($('network-rates'), netRows, list, (n) => n.iface, createNetRow, updateNetRow);
}

function createProcessRow() {
  const row = el('tr');
  row.append(el('td', 'num'), el('td', 'name'), el('td', 'num'), el('td', 'num'), el('td', 'num'));
  return row;
}

// Rows are reused by position: the busiest list reorders every refresh anyway.
function renderProcesses(processes) {
  const body = $('processes');
  const top = Array.isArray(processes?.top) ? processes.top : [];
  setText($('proc-total'), isNum(processes?.total) ? String(processes.total) : DASH);
  setText($('proc-running'), isNum(processes?.running) ? String(processes.running) : DASH);
  while (body.rows.length > top.length) body.lastElementChild.remove();
  while (body.rows.length < top.length) body.append(createProcessRow());
  top.forEach((p, i) => {
    const cells = body.rows[i].cells;
    setText(cells[0], String(p.pid));
    const name = String(p.name ?? '');
    setText(cells[1], name);
    setAttr(cells[1], 'title', name); // long names are cut with an ellipsis
    setText(cells[2], isNum(p.cpu) ? p.cpu.toFixed(1) : DASH);
    setText(cells[3], isNum(p.memory) ? p.memory.toFixed(1) : DASH);
    setText(cells[4], fmtBytes(p.rss));
  });
}

function renderContainer(c) {
  const panel = $('container-panel');
  panel.hidden = !c?.inContainer;
  if (!c?.inContainer) return;
  setText($('container-cgroup'), c.cgroup ?? 'none');
  setText($('container-memory'), isNum(c.memoryLimit) ? fmtBytes(c.memoryLimit) : 'unlimited');
  setText($('container-cpu'), isNum(c.cpuLimit) ? `${c.cpuLimit} cores` : 'unlimited');
  setText($('container-scope'), c.hostProc ? 'the host' : 'the container');
}

function renderSelf(self) {
  if (!self) return;
  setText($('self-cpu'), fmtPct(self.cpu));
  setText($('self-rss'), fmtBytes(self.rss));
  setText(
    $('self-lag'),
    isNum(self.eventLoopLagMs) ? `${self.eventLoopLagMs.toFixed(2)} ms` : DASH,
  );
  setText($('self-subscribers'), isNum(self.subscribers) ? String(self.subscribers) : DASH);
}

function renderPanels(s) {
  renderHeader(s);
  renderCpu(s.cpu, s.sensors);
  renderMemory(s.memory);
  if ('disks' in s) renderDisks(s.disks);
  renderDiskIo(s.diskIo);
  if ('network' in s) renderNetwork(s.network);
  if ('processes' in s) renderProcesses(s.processes);
  if ('container' in s) renderContainer(s.container);
  renderSelf(s.self);
  document.body.dataset.sampleId = String(s.id);
}

// ---------------------------------------------------------------------------------------------
// Alerts: keyed by host + rule + labels; "resolved" removes one. Newest first.

const alerts = new Map(); // key → alert
const alertNodes = new Map(); // key → <li>
const alertParts = new WeakMap();
const alertsEmpty = $('alerts-empty'); // held here: once out of the list, getElementById misses it
let alertSeq = 0; // breaks ties between alerts with the same `since`

const alertKey = (a) => `${a.host}\u0000${a.rule}\u0000${JSON.stringify(a.labels ?? {})}`;

function applyAlert(a) {
  if (!a || typeof a.rule !== 'string') return;
  if (gateway && a.host !== followed) return; // on a gateway the page shows one host's alerts
  const key = alertKey(a);
  if (a.severity === 'resolved') alerts.delete(key);
  else alerts.set(key, { ...a, seq: ++alertSeq });
}

function createAlert(a) {
  const li = el('li', 'alert');
  const severity = el('span', 'badge');
  const rule = el('strong', 'alert-rule');
  const labels = el('span', 'alert-labels muted');
  const value = el('span', 'alert-value');
  const since = el('time', 'alert-since muted');
  li.append(severity, rule, labels, value, since);
  alertParts.set(li, { severity, rule, labels, value, since });
  li.dataset.rule = a.rule;
  return li;
}

function updateAlert(li, a) {
  const p = alertParts.get(li);
  setAttr(li, 'data-severity', a.severity);
  setText(p.severity, a.severity);
  setText(p.rule, a.rule);
  const labels = Object.entries(a.labels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  setText(p.labels, labels);
  setText(p.value, `${fmtMetric(a.metric, a.value)} ≥ ${fmtMetric(a.metric, a.threshold)}`);
  setAttr(p.since, 'datetime', a.since);
  setText(p.since, `since ${fmtTime(a.since)}`);
}

function renderAlerts() {
  const list = [...alerts.entries()].sort(
    ([, a], [, b]) => (Date.parse(b.since) || 0) - (Date.parse(a.since) || 0) || b.seq - a.seq,
  );
  const ul = $('alerts');
  // The empty state leaves the list when there are alerts, so only alerts are <li>s in it.
  if (list.length > 0) alertsEmpty.remove();
  syncKeyed(
    ul,
    alertNodes,
    list,
    ([key]) => key,
    ([, a]) => createAlert(a),
    (li, [, a]) => updateAlert(li, a),
  );
  if (list.length === 0 && !alertsEmpty.isConnected) ul.append(alertsEmpty);
  setText($('alerts-count'), String(list.length));
}

// The rules (thresholds) and the active alerts as the server holds them now.
async function loadAlerts() {
  const host = followed;
  try {
    const body = await getJson('api/v1/alerts');
    if (host !== followed) return; // another host was picked meanwhile: its own load follows
    setRules(body.rules);
    alerts.clear();
    for (const a of Array.isArray(body.active) ? body.active : []) applyAlert(a);
    renderAlerts();
    if (lastSample) renderPanels(lastSample); // re-colour with the thresholds just learnt
  } catch {
    // Without rules nothing is coloured; the stream still brings alert changes.
  }
}

// ---------------------------------------------------------------------------------------------
// Samples and the stream.

let lastSample = null;
let intervalMs = 1000;

// Adds a sample to the timeline; false when it is not newer than the last one.
function ingest(s) {
  if (!s || !isId(s.id)) return false;
  if (gateway && s.host !== followed) return false; // a late frame from the host left behind
  if (lastSample && compareIds(s.id, lastSample.id) <= 0) return false;
  const t = Date.parse(s.timestamp);
  appendPoint((Number.isNaN(t) ? Date.now() : t) / 1000, pointValues(s));
  updateInterfaces(s);
  lastSample = s;
  return true;
}

let source = null;
let lastEventId = null; // the newest event id seen, to resume if we must reopen ourselves
let failures = 0;
let retryTimer = 0;
let resetAlertsOnMeta = false;

const STATUS_TEXT = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  closed: 'Disconnected',
};

function setStatus(state, text = STATUS_TEXT[state]) {
  const node = $('status');
  setAttr(node, 'data-state', state);
  setText(node, text);
}

// Kept as the text the server sent, so a resume hands back exactly its id.
function noteEventId(e) {
  const id = e.lastEventId;
  if (isId(id) && (lastEventId === null || compareIds(id, lastEventId) > 0)) lastEventId = id;
}

function openStream(resumeFrom) {
  if (source && source.readyState !== EventSource.CLOSED) return; // never two at once
  const url = withHost('api/v1/stream', resumeFrom == null ? {} : { lastEventId: resumeFrom });
  // A stream that does not resume starts with the alerts active now: they replace ours.
  resetAlertsOnMeta = resumeFrom == null;
  setStatus('connecting');
  source = new EventSource(url);
  source.addEventListener('open', onOpen);
  source.addEventListener('error', onError);
  source.addEventListener('meta', onMeta);
  source.addEventListener('sample', onSample);
  source.addEventListener('alert', onAlert);
  source.addEventListener('gap', onGap);
}

function onOpen() {
  failures = 0;
  setStatus('live');
}

function onError(e) {
  if (e.currentTarget !== source) return;
  // CONNECTING: the browser retries by itself, sending Last-Event-ID.
  if (source.readyState === EventSource.CONNECTING) {
    setStatus('reconnecting');
    return;
  }
  // CLOSED: the browser gave up (an HTTP error such as 503); retry ourselves, backing off.
  failures++;
  const delay = Math.min(60_000, 5_000 * 2 ** (failures - 1));
  setStatus('closed', `Disconnected, retrying in ${Math.round(delay / 1000)} s`);
  clearTimeout(retryTimer);
  // After repeated failures drop the resume point: it may be the reason (ahead of the server).
  const seq = followSeq;
  retryTimer = setTimeout(async () => {
    await ensureSignedIn(); // the token may have changed while we were away
    if (seq === followSeq) openStream(failures > 2 ? null : lastEventId); // else: another host
  }, delay);
}

// ---------------------------------------------------------------------------------------------
// Sign-in. When vitals requires a token, the page asks for it once and trades it for the
// session cookie (HttpOnly), so the token never sits in a URL or in page storage.

function askForToken(message) {
  const dialog = $('login');
  const form = $('login-form');
  const input = $('login-token');
  setText($('login-error'), message ?? '');
  $('login-error').hidden = !message;
  input.value = '';
  if (!dialog.open) dialog.showModal();
  input.focus();
  return new Promise((resolve) => {
    form.addEventListener(
      'submit',
      (e) => {
        e.preventDefault();
        dialog.close();
        resolve(input.value.trim());
      },
      { once: true },
    );
  });
}

async function ensureSignedIn() {
  let message;
  for (;;) {
    const probe = await fetch('api/v1/alerts', { headers: { accept: 'application/json' } });
    if (probe.status !== 401) return;
    setStatus('closed', 'Signed out');
    const token = await askForToken(message);
    const res = await fetch('api/v1/session', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    message = res.ok ? undefined : 'That token was not accepted.';
  }
}

function onMeta(e) {
  noteEventId(e);
  const meta = parse(e.data);
  if (!meta) return;
  if (meta.host && !gateway) setText($('host'), meta.host); // a gateway's name is not a host's
  if (isNum(meta.intervalMs)) intervalMs = meta.intervalMs;
  if (resetAlertsOnMeta) {
    resetAlertsOnMeta = false;
    alerts.clear();
    renderAlerts();
  }
}

function onSample(e) {
  noteEventId(e);
  const s = parse(e.data);
  if (!ingest(s)) return;
  refreshCharts();
  renderPanels(s);
}

function onAlert(e) {
  noteEventId(e);
  applyAlert(parse(e.data));
  renderAlerts();
}

// Events were lost: break the lines there, and re-read the alerts whose changes we missed.
function onGap(e) {
  noteEventId(e);
  const last = timeline.x[timeline.x.length - 1];
  if (last !== undefined) {
    appendPoint(last + intervalMs / 1000, {});
    refreshCharts();
  }
  loadAlerts();
}

// ---------------------------------------------------------------------------------------------
// Hosts. A gateway serves many: the picker chooses the one the page follows, and every sample
// request carries its host=. Standalone and agent servers have one host and get no host=.

let gateway = false;
let followed = null; // the host= of sample requests; null outside gateway mode
let followSeq = 0; // bumped by follow(): the async steps of an earlier one stop
let hostsTimer = 0;
const hostOptions = new Map(); // name → <option>
const waitingOption = el('option', '', 'waiting for agents…');
waitingOption.value = '';
waitingOption.disabled = true;

// `path` with `params` and, on a gateway, the followed host.
function withHost(path, params = {}) {
  const query = new URLSearchParams(params);
  if (followed != null) query.append('host', followed);
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

function rememberedHost() {
  try {
    return localStorage.getItem(HOST_KEY);
  } catch {
    return null;
  }
}

async function fetchHosts() {
  const res = await fetch('api/v1/hosts', { headers: { accept: 'application/json' } });
  if (res.status === 404) return { mode: 'standalone', hosts: [] }; // a server from before hosts
  if (!res.ok) throw new Error(`api/v1/hosts: HTTP ${res.status}`);
  return res.json();
}

const hostNames = (hosts) =>
  (Array.isArray(hosts) ? hosts : [])
    .map((h) => h?.name)
    .filter((name) => typeof name === 'string' && name !== '');

// The host followed now, never switched under the user; else the remembered one, else the first.
function chooseHost(names) {
  if (followed != null) return followed;
  const remembered = rememberedHost();
  return names.includes(remembered) ? remembered : (names[0] ?? null);
}

function createHostOption(name) {
  const option = el('option', '', name);
  option.value = name;
  return option;
}

function renderPicker(names, chosen) {
  const picker = $('host-picker');
  // The select carries `hidden` itself too, so a look at #host-picker alone tells.
  $('host-pick').hidden = picker.hidden = !gateway;
  $('host-row').hidden = gateway; // the picker names the host instead
  if (!gateway) return;
  // A host the gateway stopped listing stays while followed: the choice is the user's.
  const list =
    chosen == null || names.includes(chosen)
      ? names
      : [...names, chosen].sort((a, b) => a.localeCompare(b));
  if (list.length > 0) waitingOption.remove();
  // Keyed by the name itself; an option needs no update, its name is its text.
  syncKeyed(picker, hostOptions, list, String, createHostOption, () => {});
  if (list.length === 0 && !waitingOption.isConnected) picker.append(waitingOption);
  picker.disabled = list.length === 0;
  picker.value = chosen ?? '';
}

// Reads the host list and updates the picker. Returns the host to follow (null outside
// gateway mode or with no agent yet), or undefined when the list could not be read.
async function loadHosts() {
  let body;
  try {
    body = await fetchHosts();
  } catch {
    return undefined; // keep what we follow; the next look may work
  }
  gateway = body?.mode === 'gateway';
  const names = hostNames(body?.hosts);
  const chosen = gateway ? chooseHost(names) : null;
  renderPicker(names, chosen);
  return chosen;
}

// Standalone (known) needs no more looks; a gateway's list changes, an unread one may work later.
function scheduleHosts(known) {
  clearTimeout(hostsTimer);
  if (known && !gateway) return;
  const delay = gateway && followed == null ? HOSTS_WAITING_MS : HOSTS_REFRESH_MS;
  hostsTimer = setTimeout(pollHosts, delay);
}

async function pollHosts() {
  const chosen = await loadHosts();
  if (chosen !== undefined && chosen !== followed) follow(chosen);
  scheduleHosts(chosen !== undefined);
}

function onPick() {
  const host = $('host-picker').value;
  if (!host || host === followed) return;
  try {
    localStorage.setItem(HOST_KEY, host);
  } catch {
    // not remembered, still followed
  }
  follow(host);
}

function closeStream() {
  clearTimeout(retryTimer);
  source?.close();
  source = null;
}

// Every reading back to its empty state, so nothing of the previous host stays on show.
function clearPanels() {
  setText($('host'), followed ?? DASH);
  document.title = followed == null ? 'vitals' : `${followed} · vitals`;
  setText($('uptime'), DASH);
  setText($('sample-time'), 'Waiting for the first sample…');
  for (const node of document.querySelectorAll('main dd[id], main dd span[id]')) {
    setText(node, DASH);
    node.classList.remove('warning', 'critical');
  }
  $('cpu-usage').dataset.value = '';
  $('memory-usage').dataset.value = '';
  coreNodes = [];
  $('cores').replaceChildren();
  setText($('core-count'), '');
  renderDisks(undefined);
  renderNetwork([]);
  renderProcesses(null);
  renderContainer(null);
  delete document.body.dataset.sampleId;
}

// Forgets every sample, id and alert: another host's ids must not mislead the dedupe.
function resetSamples() {
  lastSample = null;
  lastEventId = null;
  failures = 0;
  timeline.x.length = 0;
  timeline.cols.clear();
  netIfaces = [];
  refreshCharts();
  clearPanels();
  alerts.clear();
  renderAlerts();
}

// Adds history's samples and shows the newest; returns the id to resume the stream from.
function showHistory(history) {
  const samples = Array.isArray(history.samples) ? history.samples : [];
  for (const s of samples) ingest(s);
  if (lastSample) {
    refreshCharts();
    renderPanels(lastSample);
  }
  return isId(history.newest) ? history.newest : null;
}

// Shows `host` (null: the server's own samples) from scratch: history, alerts, then live.
async function follow(host) {
  const seq = ++followSeq;
  closeStream();
  setStatus('connecting');
  followed = host;
  if (host == null) delete document.body.dataset.host;
  else document.body.dataset.host = host;
  resetSamples();
  if (gateway && host == null) {
    setStatus('connecting', 'Waiting for agents…');
    return;
  }
  let resumeFrom = null;
  try {
    const history = await getJson(withHost('api/v1/metrics/history', { limit: '300' }));
    if (seq !== followSeq) return; // another host was picked meanwhile
    resumeFrom = showHistory(history);
  } catch {
    // No history: the stream alone fills the page.
  }
  // After history, so replay from history.newest re-applies any change the snapshot predates.
  await loadAlerts();
  if (seq === followSeq) openStream(resumeFrom);
}

// ---------------------------------------------------------------------------------------------
// Start: wire the page, learn the hosts, fill from history, then go live.

function toggleTheme() {
  const next = document.documentElement.dataset.theme === 'dark' ? 'light' : 'dark';
  try {
    localStorage.setItem(THEME_KEY, next);
  } catch {
    // not remembered, still applied
  }
  applyTheme(next);
  createCharts(); // canvas colours come from the theme: rebuild, keeping the timeline
}

function onSystemTheme() {
  if (storedTheme()) return; // an explicit choice wins over the system
  applyTheme(darkQuery.matches ? 'dark' : 'light');
  createCharts();
}

async function start() {
  applyTheme(document.documentElement.dataset.theme);
  $('theme-toggle').addEventListener('click', toggleTheme);
  darkQuery.addEventListener('change', onSystemTheme);
  $('host-picker').addEventListener('change', onPick);
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden && chartsDirty) refreshCharts();
  });
  for (const spec of charts) {
    spec.el = $(spec.id);
    if (spec.el) resizer.observe(spec.el);
  }
  createCharts();
  renderAlerts();

  await ensureSignedIn();
  const chosen = await loadHosts();
  await follow(chosen ?? null); // unread list: as before hosts existed, no host=
  scheduleHosts(chosen !== undefined);
}

start();
