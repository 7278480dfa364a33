/**
 * How the lists of a sample are rolled up: the one table to touch when a group gets a list.
 *
 * A path names a list by its fields from the sample's root, `[]` standing for "an element of"
 * (`disks`, `processes.top`, `gpus[].processes`). Each list of objects is matched across the
 * samples of a bucket by the first of its key fields that an element has (a string or a
 * number); the key fields are kept plain in the rolled-up element, as are its other strings.
 * `false` leaves a list out of rollups. Lists of numbers (`cpu.cores`, `cpu.load`) are matched
 * by position and need no entry.
 */
export const ELEMENT_KEYS: Readonly<Record<string, readonly string[] | false>> = {
  disks: ['mount'],
  network: ['iface'],
  // The top processes change every few seconds: min/avg/max of a pid says nothing.
  'processes.top': false,
  // Contract groups still to come: a recreated container keeps its name, not its id; two
  // identical GPUs share a name, never an index.
  containers: ['name', 'id'],
  gpus: ['index'],
};

/**
 * The key fields tried for a list of objects that has no entry: identifiers that are unique by
 * design first (`id`, then a device's `index`), then the human label `name`, which may repeat
 * (the second "NVIDIA A10" becomes `NVIDIA A10#2`), then `key`. An element with none of them
 * is matched by its position, which is right for fixed lists and the best guess otherwise.
 */
export const FALLBACK_KEYS: readonly string[] = ['id', 'index', 'name', 'key'];

/** Whether the list at `path` is rolled up. */
export function isRolledUp(path: string): boolean {
  return ELEMENT_KEYS[path] !== false;
}

/** The key fields of the list of objects at `path`. */
export function keyFields(path: string): readonly string[] {
  return ELEMENT_KEYS[path] || FALLBACK_KEYS;
}

/**
 * The label of each element of the list at `path`: its first key field with a string or finite
 * number, or its position; a label already taken in this list gets `#2`, `#3`… so that no two
 * elements of one sample are merged.
 */
export function elementLabels(path: string, elements: readonly unknown[]): string[] {
  const fields = keyFields(path);
  const seen = new Map<string, number>();
  return elements.map((element, index) => {
    const label = keyOf(fields, element) ?? String(index);
    const count = (seen.get(label) ?? 0) + 1;
    seen.set(label, count);
    return count === 1 ? label : `${label}#${count}`;
  });
}

function keyOf(fields: readonly string[], element: unknown): string | undefined {
  if (typeof element !== 'object' || element === null) {
    return undefined;
  }
  for (const field of fields) {
    const value = (element as Record<string, unknown>)[field];
    if (typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))) {
      return String(value);
    }
  }
  return undefined;
}
