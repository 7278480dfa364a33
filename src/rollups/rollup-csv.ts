import { elementLabels } from './rollup-keys.js';
import { isMinAvgMax, type MinAvgMax, type RollupPoint, type RollupValue } from './rollup-point.js';

const FIXED = ['timestamp', 'host', 'samples'] as const;
const STATS = ['min', 'avg', 'max'] as const;

/**
 * The numbers of a point by flat path (`cpu.usage`, `cpu.cores[3]`, `disks[/].usage`,
 * `network[eth0].rxBytesPerSec`), in the point's order; a number null all bucket is null.
 */
export function flattenPoint(point: RollupPoint): Map<string, MinAvgMax | null> {
  const flat = new Map<string, MinAvgMax | null>();
  for (const [group, value] of Object.entries(point)) {
    if (!(FIXED as readonly string[]).includes(group)) {
      flatten(value, group, group, flat);
    }
  }
  return flat;
}

// `path` is what the CSV shows, `listPath` what the key table knows (`disks`, `gpus[].x`).
function flatten(
  value: RollupValue,
  path: string,
  listPath: string,
  flat: Map<string, MinAvgMax | null>,
): void {
  if (value === null) {
    flat.set(path, null);
  } else if (isMinAvgMax(value)) {
    flat.set(path, value);
  } else if (Array.isArray(value)) {
    const labels = elementLabels(listPath, value);
    value.forEach((element, index) => {
      const isObject = typeof element === 'object' && element !== null && !Array.isArray(element);
      const label = isObject && !isMinAvgMax(element) ? labels[index] : String(index);
      flatten(element, `${path}[${label}]`, `${listPath}[]`, flat);
    });
  } else if (typeof value === 'object') {
    for (const [field, child] of Object.entries(value)) {
      flatten(child, `${path}.${field}`, `${listPath}.${field}`, flat);
    }
  }
  // Plain values (a disk's fs, the cgroup version) have no column.
}

/**
 * The flat paths of numbers in `points`: the union, in the order first met. A path null in
 * every point is left out: nothing tells a number null all along from a null plain value.
 */
export function csvPaths(points: readonly RollupPoint[]): string[] {
  const paths = new Set<string>();
  for (const point of points) {
    for (const [path, value] of flattenPoint(point)) {
      if (value !== null) {
        paths.add(path);
      }
    }
  }
  return [...paths];
}

/** The CSV header: `timestamp,host,samples,<path>.min,<path>.avg,<path>.max…`. */
export function csvHeader(paths: readonly string[]): string[] {
  return [...FIXED, ...paths.flatMap((path) => STATS.map((stat) => `${path}.${stat}`))];
}

/** The points as CSV (RFC 4180: CRLF, quoted where needed), one row per point. */
export function toCsv(points: readonly RollupPoint[]): string {
  const paths = csvPaths(points);
  const rows = points.map((point) => {
    const flat = flattenPoint(point);
    const cells = paths.flatMap((path) => {
      const value = flat.get(path);
      return STATS.map((stat) => (value ? String(value[stat]) : ''));
    });
    return [point.timestamp, point.host, String(point.samples), ...cells];
  });
  return [csvHeader(paths), ...rows].map((cells) => cells.map(quote).join(',') + '\r\n').join('');
}

function quote(cell: string): string {
  return /[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}
