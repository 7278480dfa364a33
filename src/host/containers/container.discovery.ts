import { type Dirent, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Logger } from '@nestjs/common';
import { type CgroupLayout, type V1Controller, probeCgroupLayout } from './cgroup-layout.probe.js';
import {
  type ContainerIdentity,
  identifyContainer,
  mayHoldContainers,
} from './cgroup-path.parser.js';

/** A container's directory in one hierarchy, and that hierarchy's cgroup version. */
export interface CgroupDir {
  dir: string;
  version: 1 | 2;
}

/** Where each figure of a container is read; absent when the host has no such controller. */
export interface ContainerSources {
  /** cpu.stat usage_usec (v2) or cpuacct.usage (v1). */
  cpuTime?: CgroupDir;
  /** cpu.max (v2) or cpu.cfs_quota_us ÷ cpu.cfs_period_us (v1). */
  cpuLimit?: CgroupDir;
  memory?: CgroupDir;
  /** io.stat (v2) or blkio.throttle.io_service_bytes* (v1). */
  io?: CgroupDir;
  pids?: CgroupDir;
  /** The directory whose cgroup.procs lists its processes (the v2 one when it has both). */
  home: string;
}

/** A container found in the cgroup tree. */
export interface DiscoveredContainer extends ContainerIdentity {
  /** Its cgroup relative to the hierarchy's root, e.g. "/system.slice/docker-3f2a….scope". */
  cgroup: string;
  sources: ContainerSources;
}

interface Found {
  identity: ContainerIdentity;
  path: string;
}

// How often the tree is walked again when no watched directory changed: the safety net for a
// container replaced by another between two ticks (same number of subdirectories).
const RESCAN_MS = 5000;
// How deep the walk goes. The deepest container known is rootless Podman's in a pod, at 6:
// /user.slice/user-1000.slice/user@1000.service/user.slice/user-libpod_pod_….slice/libpod-….scope
const MAX_DEPTH = 8;
// The v1 hierarchy walked for containers (the others are assumed to have the same paths, as
// every runtime makes its cgroup in each): the first of these the host has.
const V1_WALKED: readonly V1Controller[] = ['memory', 'cpuacct', 'cpu', 'pids', 'blkio'];

const byId = (a: { id: string }, b: { id: string }): number =>
  a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/**
 * Finds the containers in the cgroup tree: the v2 hierarchy (the mount, or a hybrid host's
 * `unified/`) and one v1 hierarchy are walked, going only into directories that may hold
 * containers and never into a container's own children. The walk is repeated when a directory
 * it went through gained or lost a subdirectory (its link count, one stat per directory per
 * tick), and every few seconds anyway; never on every tick.
 */
export class ContainerDiscovery {
  private readonly logger = new Logger(ContainerDiscovery.name);
  private found: readonly DiscoveredContainer[] = [];
  private watched: { dir: string; links: number }[] = [];
  private nextWalkAt = -Infinity;
  private walks = 0;
  private warned = false;

  constructor(
    private readonly cgroupRoot: string,
    private readonly now: () => number = () => performance.now(),
    private readonly rescanMs = RESCAN_MS,
  ) {}

  /** How many times the tree was walked (for the logs and the tests). */
  get scans(): number {
    return this.walks;
  }

  /** The containers, sorted by id; the tree is walked again only when it changed or is due. */
  containers(): readonly DiscoveredContainer[] {
    if (this.now() >= this.nextWalkAt || this.treeChanged()) {
      this.scan();
    }
    return this.found;
  }

  private treeChanged(): boolean {
    // A kernfs (and tmpfs, ext4) directory's link count is 2 + its subdirectories.
    return this.watched.some(({ dir, links }) => {
      try {
        return statSync(dir).nlink !== links;
      } catch {
        return true;
      }
    });
  }

  private scan(): void {
    this.walks++;
    this.nextWalkAt = this.now() + this.rescanMs;
    this.watched = [];
    const layout = probeCgroupLayout(this.cgroupRoot);
    const v1Walked = V1_WALKED.map((controller) => layout.v1.get(controller)).find(Boolean);
    if (!layout.v2 && v1Walked === undefined && !this.warned) {
      this.warned = true;
      this.logger.warn(`No cgroup hierarchy under ${this.cgroupRoot}: no container will be found`);
    }
    // One container per id: on a hybrid host systemd makes its scope in both v2 and v1.
    const paths = new Map<string, { identity: ContainerIdentity; v2?: string; v1?: string }>();
    for (const { identity, path } of layout.v2 ? this.walk(layout.v2.dir) : []) {
      paths.set(identity.id, { identity, v2: path });
    }
    for (const { identity, path } of v1Walked === undefined ? [] : this.walk(v1Walked)) {
      const known = paths.get(identity.id);
      if (known) {
        known.v1 ??= path;
      } else {
        paths.set(identity.id, { identity, v1: path });
      }
    }
    const before = this.found.length;
    this.found = [...paths.values()]
      .map(({ identity, v2, v1 }) => ({
        ...identity,
        cgroup: (v2 ?? v1)!,
        sources: sourcesOf(layout, v1Walked, v2, v1),
      }))
      .sort(byId);
    if (this.found.length !== before) {
      this.logger.debug(`${this.found.length} containers in ${this.cgroupRoot}`);
    }
  }

  /** The containers under one hierarchy, each with its path relative to that hierarchy. */
  private walk(hierarchy: string): Found[] {
    const found: Found[] = [];
    const pending = [{ path: '', depth: 0 }];
    for (let next = pending.pop(); next; next = pending.pop()) {
      const dir = join(hierarchy, next.path);
      let entries: Dirent[];
      try {
        // The count first: a subdirectory made during the listing shows at the next tick.
        const links = statSync(dir).nlink;
        entries = readdirSync(dir, { withFileTypes: true });
        this.watched.push({ dir, links });
      } catch {
        continue; // removed while walking
      }
      for (const entry of entries) {
        if (!entry.isDirectory()) {
          continue;
        }
        const path = `${next.path}/${entry.name}`;
        const identity = identifyContainer(path);
        if (identity) {
          found.push({ identity, path });
        } else if (next.depth < MAX_DEPTH && mayHoldContainers(entry.name)) {
          pending.push({ path, depth: next.depth + 1 });
        }
      }
    }
    return found;
  }
}

/** Where each figure is read: the v1 controller's hierarchy if the host has one, else v2. */
function sourcesOf(
  layout: CgroupLayout,
  v1Walked: string | undefined,
  v2Path: string | undefined,
  v1Path: string | undefined,
): ContainerSources {
  const v2 = layout.v2;
  const pick = (v1: V1Controller, v2Controller?: string): CgroupDir | undefined => {
    const hierarchy = layout.v1.get(v1);
    if (hierarchy !== undefined && v1Path !== undefined) {
      return { dir: join(hierarchy, v1Path), version: 1 };
    }
    if (v2 && v2Path !== undefined && (!v2Controller || v2.controllers.has(v2Controller))) {
      return { dir: join(v2.dir, v2Path), version: 2 };
    }
    return undefined;
  };
  return {
    cpuTime: pick('cpuacct'), // v2's cpu.stat has usage_usec even without the cpu controller
    cpuLimit: pick('cpu', 'cpu'),
    memory: pick('memory', 'memory'),
    io: pick('blkio', 'io'),
    pids: pick('pids', 'pids'),
    home: v2 && v2Path !== undefined ? join(v2.dir, v2Path) : join(v1Walked ?? '', v1Path ?? ''),
  };
}
