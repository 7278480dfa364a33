import type { ListNode, RollupNode, Stats } from './rollup-node.js';
import type { RollupValue } from './rollup-point.js';

/**
 * A node as the store keeps it, in JSON: `null` (nulls only), a plain value, stats as an array
 * (`[min, max, sum]`, `[value]` when min = max, with the count of values appended when it is
 * not the bucket's sample count), an object field by field, or a list as `{"[]": [item…]}`
 * (labelled by position) or `{"[k]": [label, item, label, item…]}`.
 */
export type EncodedNode =
  null | string | number | boolean | EncodedNode[] | { [field: string]: EncodedNode };

const POSITIONAL = '[]';
const LABELLED = '[k]';

// Sums keep 12 significant digits: float noise (0.1 + 0.2) costs bytes and says nothing, and
// the error left is far below the averages' two decimals.
const roundSum = (sum: number): number => Number(sum.toPrecision(12));

export function encodeNode(node: RollupNode, samples: number): EncodedNode {
  switch (node.kind) {
    case 'leaf':
      return node.stats ? encodeStats(node.stats, samples) : (node.plain ?? null);
    case 'object':
      return Object.fromEntries(
        [...node.fields].map(([field, child]) => [field, encodeNode(child, samples)]),
      );
    case 'list':
      return encodeList(node, samples);
  }
}

function encodeStats({ min, max, sum, count }: Stats, samples: number): number[] {
  const values = min === max ? [min] : [min, max, roundSum(sum)];
  return count === samples ? values : [...values, count];
}

function encodeList(node: ListNode, samples: number): EncodedNode {
  const labels = [...node.items.keys()];
  if (labels.every((label, index) => label === String(index))) {
    return { [POSITIONAL]: [...node.items.values()].map((item) => encodeNode(item, samples)) };
  }
  return {
    [LABELLED]: [...node.items].flatMap(([label, item]) => [label, encodeNode(item, samples)]),
  };
}

/** The node `encoded` stands for; throws on anything encodeNode does not write. */
export function decodeNode(encoded: unknown, samples: number): RollupNode {
  if (encoded === null) {
    return { kind: 'leaf' };
  }
  if (typeof encoded === 'string' || typeof encoded === 'boolean' || typeof encoded === 'number') {
    return { kind: 'leaf', plain: encoded };
  }
  if (Array.isArray(encoded)) {
    return { kind: 'leaf', stats: decodeStats(encoded, samples) };
  }
  if (typeof encoded !== 'object') {
    throw new Error(`not a rollup state node: ${typeof encoded}`);
  }
  const record = encoded as Record<string, unknown>;
  const positional = record[POSITIONAL];
  if (Array.isArray(positional)) {
    const items = positional.map((item, index): [string, RollupNode] => [
      String(index),
      decodeNode(item, samples),
    ]);
    return { kind: 'list', items: new Map(items) };
  }
  const labelled = record[LABELLED];
  if (Array.isArray(labelled)) {
    const items = new Map<string, RollupNode>();
    for (let index = 0; index + 1 < labelled.length; index += 2) {
      items.set(String(labelled[index]), decodeNode(labelled[index + 1], samples));
    }
    return { kind: 'list', items };
  }
  const fields = Object.entries(record).map(([field, child]): [string, RollupNode] => [
    field,
    decodeNode(child, samples),
  ]);
  return { kind: 'object', fields: new Map(fields) };
}

function decodeStats(values: readonly unknown[], samples: number): Stats {
  if (!values.every((value) => typeof value === 'number' && Number.isFinite(value))) {
    throw new Error(`not rollup stats: ${JSON.stringify(values)}`);
  }
  const numbers = values as number[];
  const [first = 0, second = 0, third = 0, fourth = 0] = numbers;
  switch (numbers.length) {
    case 1:
      return { min: first, max: first, sum: first * samples, count: samples };
    case 2:
      return { min: first, max: first, sum: first * second, count: second };
    case 3:
      return { min: first, max: second, sum: third, count: samples };
    case 4:
      return { min: first, max: second, sum: third, count: fourth };
    default:
      throw new Error(`not rollup stats: ${JSON.stringify(values)}`);
  }
}

// Two decimals, like the sample's own figures.
const round2 = (value: number): number => Math.round(value * 100) / 100;

/**
 * What renderNode(decodeNode(encoded, samples)) answers, straight from the stored JSON: a query
 * renders thousands of stored buckets it never merges, and building the node tree of each
 * was most of its time. Throws on anything encodeNode does not write, as decodeNode does.
 */
export function renderEncoded(encoded: unknown, samples: number): RollupValue {
  if (encoded === null || typeof encoded !== 'object') {
    if (
      typeof encoded === 'string' ||
      typeof encoded === 'boolean' ||
      typeof encoded === 'number'
    ) {
      return encoded;
    }
    if (encoded === null) {
      return null;
    }
    throw new Error(`not a rollup state node: ${typeof encoded}`);
  }
  if (Array.isArray(encoded)) {
    const { min, max, sum, count } = decodeStats(encoded, samples);
    return { min, avg: round2(sum / count), max };
  }
  const record = encoded as Record<string, unknown>;
  const positional = record[POSITIONAL];
  if (Array.isArray(positional)) {
    return positional.map((item) => renderEncoded(item, samples));
  }
  const labelled = record[LABELLED];
  if (Array.isArray(labelled)) {
    const items: RollupValue[] = [];
    for (let index = 1; index < labelled.length; index += 2) {
      items.push(renderEncoded(labelled[index], samples));
    }
    return items;
  }
  const rendered: { [field: string]: RollupValue } = {};
  for (const field in record) {
    rendered[field] = renderEncoded(record[field], samples);
  }
  return rendered;
}
