import type { RollupNode } from './rollup-node.js';

/** A number over a bucket. */
export interface MinAvgMax {
  min: number;
  avg: number;
  max: number;
}

/** A rolled-up value: stats, null (nulls only), a plain value, a list or an object of them. */
export type RollupValue =
  MinAvgMax | null | string | number | boolean | RollupValue[] | { [field: string]: RollupValue };

/** One point of `GET /api/v1/metrics/rollups`: a bucket of one host. */
export interface RollupPoint {
  /** The bucket's start, ISO 8601. */
  timestamp: string;
  host: string;
  /** Samples the bucket holds. */
  samples: number;
  [group: string]: RollupValue;
}

// Two decimals, like the sample's own figures (and as renderEncoded rounds them).
const round2 = (value: number): number => Math.round(value * 100) / 100;

/** The answer's shape of a node: every number as {min, avg, max}, lists as arrays. */
export function renderNode(node: RollupNode): RollupValue {
  switch (node.kind) {
    case 'leaf':
      return node.stats
        ? {
            min: node.stats.min,
            avg: round2(node.stats.sum / node.stats.count),
            max: node.stats.max,
          }
        : (node.plain ?? null);
    case 'object':
      return Object.fromEntries(
        [...node.fields].map(([field, child]) => [field, renderNode(child)]),
      );
    case 'list':
      return [...node.items.values()].map(renderNode);
  }
}

/** Whether `value` is the {min, avg, max} of a number. */
export function isMinAvgMax(value: RollupValue | undefined): value is MinAvgMax {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length === 3 &&
    typeof value.min === 'number' &&
    typeof value.avg === 'number' &&
    typeof value.max === 'number'
  );
}
