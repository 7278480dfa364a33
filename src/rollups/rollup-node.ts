import { elementLabels, isRolledUp, keyFields } from './rollup-keys.js';

/** A value kept as it is (the last one seen): strings, booleans, and numbers that are keys. */
export type Plain = string | number | boolean;

/** What a bucket saw of one number: its non-null values' min, max, sum and count. */
export interface Stats {
  min: number;
  max: number;
  sum: number;
  count: number;
}

/** A number (stats), a plain value, or nothing but nulls so far (neither). */
export interface LeafNode {
  readonly kind: 'leaf';
  stats?: Stats;
  plain?: Plain;
}
/** An object of the sample, field by field in the order first seen. */
export interface ObjectNode {
  readonly kind: 'object';
  readonly fields: Map<string, RollupNode>;
}
/** A list: its elements by label (a key field's value, or the position), in the order first seen. */
export interface ListNode {
  readonly kind: 'list';
  readonly items: Map<string, RollupNode>;
}
export type RollupNode = LeafNode | ObjectNode | ListNode;

const isEmptyLeaf = (node: RollupNode | undefined): boolean =>
  node === undefined || (node.kind === 'leaf' && !node.stats && node.plain === undefined);

/**
 * Adds one value of the sample at `path` to `node` (created when undefined) and returns the
 * node. `plain` keeps a number as it is (a list element's key field). A value whose kind
 * differs from what the node already holds (an object where numbers were) is ignored.
 */
export function addValue(
  node: RollupNode | undefined,
  value: unknown,
  path: string,
  plain = false,
): RollupNode | undefined {
  if (value === undefined) {
    return node;
  }
  if (Array.isArray(value)) {
    return addList(isEmptyLeaf(node) ? undefined : node, value, path);
  }
  if (typeof value === 'object' && value !== null) {
    return addObject(isEmptyLeaf(node) ? undefined : node, value, path, []);
  }
  const leaf = node ?? { kind: 'leaf' };
  if (leaf.kind !== 'leaf') {
    return leaf;
  }
  if (typeof value === 'number' && !plain) {
    // NaN and infinities never reach a sample; were one to, it counts as no figure.
    if (Number.isFinite(value)) {
      addStats(leaf, value);
    }
  } else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    leaf.plain = value;
  }
  return leaf;
}

function addStats(leaf: LeafNode, value: number): void {
  const stats = leaf.stats;
  if (!stats) {
    leaf.stats = { min: value, max: value, sum: value, count: 1 };
    return;
  }
  stats.min = Math.min(stats.min, value);
  stats.max = Math.max(stats.max, value);
  stats.sum += value;
  stats.count += 1;
}

/** Adds the fields of `value` (an object of the sample at `path`) but those in `skip`. */
export function addObject(
  node: RollupNode | undefined,
  value: object,
  path: string,
  skip: readonly string[],
  plainFields: readonly string[] = [],
): RollupNode {
  const target: RollupNode = node ?? { kind: 'object', fields: new Map() };
  if (target.kind !== 'object') {
    return target;
  }
  for (const [field, child] of Object.entries(value)) {
    const childPath = path === '' ? field : `${path}.${field}`;
    if (skip.includes(field) || !isRolledUp(childPath)) {
      continue;
    }
    const added = addValue(target.fields.get(field), child, childPath, plainFields.includes(field));
    if (added) {
      target.fields.set(field, added);
    }
  }
  return target;
}

function addList(node: RollupNode | undefined, value: readonly unknown[], path: string) {
  const target: RollupNode = node ?? { kind: 'list', items: new Map() };
  if (target.kind !== 'list') {
    return target;
  }
  const labels = elementLabels(path, value);
  value.forEach((element, index) => {
    // Numbers and other scalars by position; objects by their key.
    const isObject = typeof element === 'object' && element !== null && !Array.isArray(element);
    const label = isObject ? (labels[index] ?? String(index)) : String(index);
    const item = target.items.get(label);
    const added = isObject
      ? addObject(isEmptyLeaf(item) ? undefined : item, element, `${path}[]`, [], keyFields(path))
      : addValue(item, element, `${path}[]`);
    if (added) {
      target.items.set(label, added);
    }
  });
  return target;
}

/**
 * Combines two nodes of the same place in two accumulators of one bucket into `into`: counts
 * and sums add, min and max combine, plain values and elements of `from` win or join.
 */
export function mergeNode(into: RollupNode | undefined, from: RollupNode): RollupNode {
  if (into === undefined || isEmptyLeaf(into)) {
    return cloneNode(from);
  }
  if (into.kind === 'leaf' && from.kind === 'leaf') {
    if (from.stats) {
      into.stats = into.stats ? mergeStats(into.stats, from.stats) : { ...from.stats };
    }
    if (from.plain !== undefined) {
      into.plain = from.plain;
    }
  } else if (into.kind === 'object' && from.kind === 'object') {
    mergeMap(into.fields, from.fields);
  } else if (into.kind === 'list' && from.kind === 'list') {
    mergeMap(into.items, from.items);
  }
  return into;
}

function mergeMap(into: Map<string, RollupNode>, from: ReadonlyMap<string, RollupNode>): void {
  for (const [key, node] of from) {
    into.set(key, mergeNode(into.get(key), node));
  }
}

function mergeStats(a: Stats, b: Stats): Stats {
  return {
    min: Math.min(a.min, b.min),
    max: Math.max(a.max, b.max),
    sum: a.sum + b.sum,
    count: a.count + b.count,
  };
}

/** A deep copy of `node`, so that merging never shares state between accumulators. */
export function cloneNode(node: RollupNode): RollupNode {
  switch (node.kind) {
    case 'leaf':
      return { kind: 'leaf', stats: node.stats && { ...node.stats }, plain: node.plain };
    case 'object':
      return { kind: 'object', fields: cloneMap(node.fields) };
    case 'list':
      return { kind: 'list', items: cloneMap(node.items) };
  }
}

function cloneMap(map: ReadonlyMap<string, RollupNode>): Map<string, RollupNode> {
  return new Map([...map].map(([key, node]) => [key, cloneNode(node)]));
}
