import type { Sample } from '../hub/sample.js';

/** Which element of an array a value came from, e.g. `{"mount": "/"}`. */
export type AlertLabels = Record<string, string>;

/** One value a metric path selects from a sample; null when the sample has no figure for it. */
export interface MetricValue {
  labels: AlertLabels;
  value: number | null;
}

/**
 * Reads a metric path from a sample: one value for a plain path, one per element for a path
 * through an array. undefined when the group is absent from the sample (not read yet).
 */
export type MetricReader = (sample: Sample) => MetricValue[] | undefined;

// The shape of a sample as far as alerts are concerned: numeric leaves, objects, and arrays
// whose elements are labelled so that each one is tracked as its own alert.
type Node = 'number' | { [field: string]: Node } | ArrayNode;
interface ArrayNode {
  each: Node;
  label: (element: unknown, index: number) => AlertLabels;
}

const field =
  (name: string) =>
  (element: unknown): AlertLabels => ({
    [name]: String((element as Record<string, unknown>)[name]),
  });

const LOAD_WINDOWS = ['1m', '5m', '15m'];

const SCHEMA: { [group: string]: Node } = {
  cpu: {
    usage: 'number',
    user: 'number',
    system: 'number',
    iowait: 'number',
    steal: 'number',
    idle: 'number',
    count: 'number',
    cores: { each: 'number', label: (_, index) => ({ core: String(index) }) },
    load: { each: 'number', label: (_, index) => ({ window: LOAD_WINDOWS[index] ?? '' }) },
  },
  memory: {
    total: 'number',
    used: 'number',
    available: 'number',
    usage: 'number',
    swapTotal: 'number',
    swapUsed: 'number',
    swapUsage: 'number',
  },
  disks: {
    each: { size: 'number', used: 'number', usage: 'number' },
    label: field('mount'),
  },
  diskIo: {
    readBytesPerSec: 'number',
    writeBytesPerSec: 'number',
    readOpsPerSec: 'number',
    writeOpsPerSec: 'number',
  },
  network: {
    each: { rxBytesPerSec: 'number', txBytesPerSec: 'number' },
    label: field('iface'),
  },
  processes: {
    total: 'number',
    running: 'number',
    top: {
      each: { cpu: 'number', memory: 'number', rss: 'number' },
      label: (element) => ({ ...field('pid')(element), ...field('name')(element) }),
    },
  },
  sensors: { cpuTempC: 'number' },
  uptime: 'number',
  container: { memoryLimit: 'number', cpuLimit: 'number' },
  containers: {
    each: {
      cpu: 'number',
      cpuLimit: 'number',
      memory: 'number',
      memoryLimit: 'number',
      memoryUsage: 'number',
      rxBytesPerSec: 'number',
      txBytesPerSec: 'number',
      readBytesPerSec: 'number',
      writeBytesPerSec: 'number',
      pids: 'number',
    },
    // Its name, as people know it (kept when it is recreated); its id without a runtime API.
    label: (element) => {
      const { name, id } = element as { name: string | null; id: string };
      return { container: name ?? id };
    },
  },
  gpus: {
    each: {
      utilization: 'number',
      memoryUsed: 'number',
      memoryTotal: 'number',
      memoryUsage: 'number',
      temperatureC: 'number',
      powerW: 'number',
      powerLimitW: 'number',
      fanPercent: 'number',
      clockMHz: 'number',
      clockMaxMHz: 'number',
    },
    label: (element) => ({ gpu: String((element as { index: number }).index) }),
  },
  self: { cpu: 'number', rss: 'number', eventLoopLagMs: 'number', subscribers: 'number' },
};

const isArrayNode = (node: Node): node is ArrayNode => typeof node === 'object' && 'each' in node;

type Step = { kind: 'field'; name: string } | { kind: 'each'; label: ArrayNode['label'] };

/**
 * Compiles a dotted path such as `memory.usage` or `disks[].usage` (each disk) against the
 * sample's shape. Throws an Error saying what is wrong when the path names no numeric figure.
 */
export function compileMetricPath(path: string): MetricReader {
  const segments = path.split('.');
  const steps: Step[] = [];
  let node: Node = { ...SCHEMA };
  for (const [index, segment] of segments.entries()) {
    const match = /^([A-Za-z][A-Za-z0-9]*)(\[\])?$/.exec(segment);
    if (!match) {
      throw new Error(`"${segment}" is not a field name (e.g. memory.usage, disks[].usage)`);
    }
    const [, name = '', each] = match;
    const child: Node | undefined =
      typeof node === 'object' && !isArrayNode(node) && Object.hasOwn(node, name)
        ? node[name]
        : undefined;
    if (child === undefined) {
      const at = segments.slice(0, index).join('.') || 'the sample';
      const known = typeof node === 'object' && !isArrayNode(node) ? Object.keys(node) : [];
      throw new Error(`${at} has no field "${name}" (known: ${known.join(', ')})`);
    }
    steps.push({ kind: 'field', name });
    node = child;
    if (isArrayNode(node)) {
      if (!each) {
        throw new Error(`${name} is a list: write ${name}[] to watch each element`);
      }
      steps.push({ kind: 'each', label: node.label });
      node = node.each;
    } else if (each) {
      throw new Error(`${name} is not a list, so ${name}[] does not apply`);
    }
  }
  if (node !== 'number') {
    throw new Error(`${path} is a group of figures, not a number: name one of its fields`);
  }
  return (sample) => read(sample, steps, 0, {});
}

function read(
  value: unknown,
  steps: readonly Step[],
  from: number,
  labels: AlertLabels,
): MetricValue[] | undefined {
  for (let i = from; i < steps.length; i++) {
    const step = steps[i]!;
    if (step.kind === 'each') {
      if (!Array.isArray(value)) {
        return undefined;
      }
      return value.flatMap(
        (element: unknown, index) =>
          read(element, steps, i + 1, { ...labels, ...step.label(element, index) }) ?? [],
      );
    }
    if (value === null || typeof value !== 'object') {
      return undefined;
    }
    value = (value as Record<string, unknown>)[step.name];
    if (value === undefined || (value === null && i < steps.length - 1)) {
      return undefined;
    }
  }
  return [{ labels, value: typeof value === 'number' && Number.isFinite(value) ? value : null }];
}
