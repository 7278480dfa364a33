import { existsSync, mkdirSync, rmdirSync } from 'node:fs';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CGROUPS = fileURLToPath(new URL('../fixtures/cgroups', import.meta.url));

/**
 * A copy of the recorded tree `test/fixtures/cgroups/<name>` in a new temporary directory, for
 * a test to change. Links are copied as they are: `ns/net -> net:[4026532201]` is what readlink
 * says, and `cpu -> cpu,cpuacct` must stay inside the copy.
 */
export async function copyCgroupTree(name: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `vitals-cgroups-${name}-`));
  await cp(join(CGROUPS, name), dir, { recursive: true, verbatimSymlinks: true });
  return dir;
}

/**
 * Replaces `from` with `to` in a file, in place (as the kernel rewrites a counter, so a
 * descriptor kept open sees it); fails when `from` is not there, so a test never changes a
 * number the fixture does not have.
 */
export async function rewrite(path: string, from: string, to: string): Promise<void> {
  const text = await readFile(path, 'latin1');
  if (!text.includes(from)) {
    throw new Error(`${path} does not contain ${JSON.stringify(from)}`);
  }
  await writeFile(path, text.replace(from, to));
}

/**
 * Why this machine cannot make cgroups shaped like a container's (not Linux, not root, no
 * writable cgroup mount), or undefined when it can: found by making and removing one.
 */
function probeCgroups(root: string): string | undefined {
  if (process.platform !== 'linux') {
    return `cgroups are Linux only (this is ${process.platform})`;
  }
  if (process.getuid?.() !== 0) {
    return 'making cgroups needs root';
  }
  // Where a container's CPU time is: the mount on a v2 host; cpuacct, or the unified mount, on a
  // v1 or hybrid one (whose mount is a tmpfs, where any directory can be made).
  const parents = existsSync(join(root, 'cgroup.controllers'))
    ? [root]
    : [join(root, 'cpuacct'), join(root, 'unified')];
  const probe = `vitals-probe-${process.pid}`;
  let last = `no cgroup hierarchy under ${root}`;
  for (const parent of parents) {
    try {
      mkdirSync(join(parent, probe));
      rmdirSync(join(parent, probe));
      return undefined;
    } catch (error) {
      last = `cannot make a cgroup in ${parent}: ${(error as Error).message}`;
    }
  }
  return last;
}

export const REAL_CGROUPS = '/sys/fs/cgroup';
export const CGROUPS_UNAVAILABLE = probeCgroups(REAL_CGROUPS);

/**
 * `describe`, or `describe.skip` with the reason in its title when this machine cannot make
 * cgroups. It skips under CI too: a CI runner in a container has a read-only cgroup mount, and
 * nothing in `.ci/run` can grant one.
 */
export function describeWithCgroups(title: string, body: () => void): void {
  const reason = CGROUPS_UNAVAILABLE;
  if (reason === undefined) {
    describe(title, body);
  } else {
    describe.skip(`${title} (skipped: ${reason})`, body);
  }
}
