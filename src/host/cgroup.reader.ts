import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ContainerDto } from '../hub/dto/container.dto.js';

/** Where the facts about vitals' own process and cgroup live. */
export interface CgroupPaths {
  /** vitals' own /proc (for self/cgroup and 1/cgroup), not the host's. */
  selfProc: string;
  /** The cgroup filesystem mount, normally /sys/fs/cgroup. */
  cgroupRoot: string;
  /** The container's root, for /.dockerenv and /run/.containerenv. */
  root: string;
}

// cgroup v1 "no limit" is the largest page-aligned 64-bit value; anything above 2^60 is unlimited.
const V1_UNLIMITED = 2 ** 60;
const CONTAINER_CGROUP = /docker|kubepods|containerd|libpod|lxc|podman|crio/;

const readText = async (path: string): Promise<string | undefined> => {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch {
    return undefined;
  }
};
const exists = async (path: string): Promise<boolean> => {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
};

/** The controller → path map of a /proc/<pid>/cgroup file ("" is the v2 unified entry). */
function parseCgroupFile(text: string | undefined): Map<string, string> {
  const paths = new Map<string, string>();
  for (const line of (text ?? '').split('\n')) {
    const [, controllers, path] = line.split(':');
    if (controllers !== undefined && path !== undefined) {
      controllers.split(',').forEach((controller) => paths.set(controller, path));
    }
  }
  return paths;
}

// A limit file is found under the process's own cgroup path, or at the controller's root when
// the container sees its cgroup mounted there (cgroup namespaces, or v1 inside Docker).
async function readLimit(root: string, controller: string, path: string, file: string) {
  return (
    (await readText(join(root, controller, path, file))) ??
    (await readText(join(root, controller, file)))
  );
}

/** Reads whether vitals runs in a container, its cgroup version and the limits on it. */
export async function readContainer(paths: CgroupPaths, procfs: string): Promise<ContainerDto> {
  const self = parseCgroupFile(await readText(join(paths.selfProc, 'self/cgroup')));
  const init = await readText(join(paths.selfProc, '1/cgroup'));
  const inContainer =
    (await exists(join(paths.root, '.dockerenv'))) ||
    (await exists(join(paths.root, 'run/.containerenv'))) ||
    CONTAINER_CGROUP.test(init ?? '') ||
    process.env.container !== undefined;
  const hostProc = !inContainer || procfs !== join(paths.root, 'proc');

  if (await exists(join(paths.cgroupRoot, 'cgroup.controllers'))) {
    const path = self.get('') ?? '/';
    const memory = await readLimit(paths.cgroupRoot, '', path, 'memory.max');
    const [quota, period] = ((await readLimit(paths.cgroupRoot, '', path, 'cpu.max')) ?? 'max')
      .split(/\s+/)
      .map((field) => (field === 'max' ? NaN : Number(field)));
    return {
      inContainer,
      cgroup: 'v2',
      memoryLimit: memory && memory !== 'max' ? Number(memory) : null,
      cpuLimit:
        quota && period && Number.isFinite(quota) ? Math.round((quota / period) * 100) / 100 : null,
      hostProc,
    };
  }
  if (await exists(join(paths.cgroupRoot, 'memory'))) {
    const memory = Number(
      await readLimit(
        paths.cgroupRoot,
        'memory',
        self.get('memory') ?? '/',
        'memory.limit_in_bytes',
      ),
    );
    const cpuPath = self.get('cpu') ?? '/';
    const quota = Number(await readLimit(paths.cgroupRoot, 'cpu', cpuPath, 'cpu.cfs_quota_us'));
    const period = Number(await readLimit(paths.cgroupRoot, 'cpu', cpuPath, 'cpu.cfs_period_us'));
    return {
      inContainer,
      cgroup: 'v1',
      memoryLimit: memory > 0 && memory < V1_UNLIMITED ? memory : null,
      cpuLimit: quota > 0 && period > 0 ? Math.round((quota / period) * 100) / 100 : null,
      hostProc,
    };
  }
  return { inContainer, cgroup: null, memoryLimit: null, cpuLimit: null, hostProc };
}
