import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The v1 controllers read for containers. */
export type V1Controller = 'cpu' | 'cpuacct' | 'memory' | 'blkio' | 'pids';
const V1_CONTROLLERS: readonly string[] = ['cpu', 'cpuacct', 'memory', 'blkio', 'pids'];

/** Where the cgroup hierarchies are under the cgroup mount (VITALS_SYSFS/fs/cgroup). */
export interface CgroupLayout {
  /**
   * The unified (v2) hierarchy: the mount itself on a v2 host, its `unified/` on a hybrid one,
   * with the controllers it has (cgroup.controllers at its root; cpu.stat is always there).
   */
  v2?: { dir: string; controllers: ReadonlySet<string> };
  /** Each v1 controller's hierarchy; cpu and cpuacct are often one `cpu,cpuacct` directory. */
  v1: ReadonlyMap<V1Controller, string>;
}

const isDirectory = (path: string): boolean => {
  try {
    return statSync(path).isDirectory(); // follows the `cpu -> cpu,cpuacct` links
  } catch {
    return false;
  }
};

const controllersOf = (dir: string): ReadonlySet<string> =>
  new Set(readFileSync(join(dir, 'cgroup.controllers'), 'latin1').split(/\s+/).filter(Boolean));

/** Finds the hierarchies under `root`; an empty layout when there are none (or no root). */
export function probeCgroupLayout(root: string): CgroupLayout {
  if (existsSync(join(root, 'cgroup.controllers'))) {
    return { v2: { dir: root, controllers: controllersOf(root) }, v1: new Map() };
  }
  const v1 = new Map<V1Controller, string>();
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return { v1 };
  }
  // Each v1 hierarchy is named after its controllers ("memory", "cpu,cpuacct", "net_cls,…");
  // a controller's own name (often a link to the combined one) comes first, whatever the order.
  const byLength = [...names].sort((a, b) => a.split(',').length - b.split(',').length);
  for (const name of byLength) {
    const controllers = name.split(',').filter((c) => V1_CONTROLLERS.includes(c)) as V1Controller[];
    if (controllers.length > 0 && isDirectory(join(root, name))) {
      controllers.filter((c) => !v1.has(c)).forEach((c) => v1.set(c, join(root, name)));
    }
  }
  const unified = join(root, 'unified');
  return existsSync(join(unified, 'cgroup.controllers'))
    ? { v2: { dir: unified, controllers: controllersOf(unified) }, v1 }
    : { v1 };
}
