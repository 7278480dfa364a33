import { readdirSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ProcFile, ReadBuffer } from '../proc-file.js';
import { type InterfaceCounters, parseNetDev, ratePerSecond } from '../procfs.parser.js';
import { parseFirstPid } from './cgroup-stats.parser.js';

/** A container's network figures over the last tick. */
export interface ContainerNetwork {
  rxBytesPerSec: number | null;
  txBytesPerSec: number | null;
  /** The container its namespace's traffic is reported on, when that is another one. */
  networkFrom: string | null;
}

/** A container whose network is read: its id and where its processes are listed. */
export interface NetworkMember {
  id: string;
  /** The cgroup directory whose cgroup.procs lists its processes. */
  home: string;
  /** Whether its net/dev stays open between ticks (see ContainerStatsReader's budget). */
  keepOpen: boolean;
}

interface Process {
  pid: number;
  netDev: ProcFile;
  /** Its namespace when last looked at, and when (a readlink and a stat per process per tick add up). */
  namespace: Namespace;
  checkedAt: number;
}

// How long a process's namespace is taken as known: processes seldom change namespace, and
// one that exits is seen at once when its net/dev cannot be read.
const NAMESPACE_RECHECK_MS = 5000;

/**
 * A network namespace as seen through one process: the `net:[…]` its ns/net link names, and
 * the inode of its net/dev, which is the namespace's own proc entry (the same for every
 * process in it) and, unlike the link, needs no ptrace access to read.
 */
interface Namespace {
  key: string;
  link: string | undefined;
  inode: number | undefined;
}

interface Baseline {
  at: number;
  counters: ReadonlyMap<string, InterfaceCounters>;
}

const NONE: ContainerNetwork = { rxBytesPerSec: null, txBytesPerSec: null, networkFrom: null };
// Where a container's processes are when its own cgroup has none (cgroup v2 allows processes
// only in leaves): nspawn's payload/, crun's container/; nspawn's supervisor/ runs on the host's
// network, so it is never chosen.
const PAYLOAD_FIRST = ['payload', 'container'];
const PID_SEARCH_DEPTH = 2;

const readOnce = (path: string): string => {
  const file = new ProcFile(path);
  try {
    return file.read();
  } finally {
    file.close();
  }
};

/** The first process listed in the cgroup, or in its children when it has none of its own. */
function firstPid(dir: string, depth = 0): number | undefined {
  try {
    const pid = parseFirstPid(readOnce(join(dir, 'cgroup.procs')));
    if (pid !== undefined || depth >= PID_SEARCH_DEPTH) {
      return pid;
    }
    const children = readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && entry.name !== 'supervisor')
      .map((entry) => entry.name)
      .sort((a, b) => Number(PAYLOAD_FIRST.includes(b)) - Number(PAYLOAD_FIRST.includes(a)));
    for (const child of children) {
      const found = firstPid(join(dir, child), depth + 1);
      if (found !== undefined) {
        return found;
      }
    }
  } catch {
    // Gone, or not readable: no process to read the network from.
  }
  return undefined;
}

/** Received and sent bytes over the interfaces present both times; null when a counter fell. */
function rates(before: Baseline, after: Baseline): Omit<ContainerNetwork, 'networkFrom'> {
  const sum = { rxBefore: 0, rxAfter: 0, txBefore: 0, txAfter: 0 };
  for (const [iface, now] of after.counters) {
    const then = before.counters.get(iface);
    if (then) {
      sum.rxBefore += then.rxBytes;
      sum.rxAfter += now.rxBytes;
      sum.txBefore += then.txBytes;
      sum.txAfter += now.txBytes;
    }
  }
  const seconds = (after.at - before.at) / 1000;
  return {
    rxBytesPerSec: ratePerSecond(sum.rxBefore, sum.rxAfter, seconds),
    txBytesPerSec: ratePerSecond(sum.txBefore, sum.txAfter, seconds),
  };
}

/**
 * Containers' network traffic, read from one of each container's processes: its
 * `<procfs>/<pid>/net/dev` is its network namespace's, and readlink of `<procfs>/<pid>/ns/net`
 * names that namespace; without ptrace access to the process (vitals not root, or without
 * CAP_SYS_PTRACE in a container) the inode of its net/dev names it instead. Containers sharing a
 * namespace (a Kubernetes pod, `--network container:`) are reported once, on the first by id; a
 * container on the host's namespace (`--network host`) gets no figures, since the traffic is the
 * host's. Baselines are kept per namespace, so a pod's rates go on when the container they were
 * reported on goes away.
 */
export class ContainerNetworkReader {
  private readonly processes = new Map<string, Process>();
  private baselines = new Map<string, Baseline>();
  private host: { namespace: Namespace | undefined; checkedAt: number } | undefined;
  // The containers' net/dev files are read one after another through one buffer.
  private readonly scratch = new ReadBuffer();

  constructor(
    private readonly procfs: string,
    private readonly now: () => number,
  ) {}

  /** The figures of each container (given sorted by id), by id. */
  read(members: readonly NetworkMember[]): Map<string, ContainerNetwork> {
    const now = this.now();
    if (this.host === undefined || now - this.host.checkedAt >= NAMESPACE_RECHECK_MS) {
      this.host = { namespace: this.namespaceOfPid(1), checkedAt: now };
    }
    const host = this.host.namespace;
    // Either name will do: the host's init may allow one and not the other.
    const isHost = (namespace: Namespace): boolean =>
      host !== undefined &&
      ((namespace.link !== undefined && namespace.link === host.link) ||
        (namespace.inode !== undefined && namespace.inode === host.inode));
    const byNamespace = new Map<string, NetworkMember[]>();
    const figures = new Map<string, ContainerNetwork>();
    for (const member of members) {
      const namespace = this.namespaceOf(member);
      if (namespace === undefined || isHost(namespace)) {
        figures.set(member.id, NONE);
      } else {
        const sharing = byNamespace.get(namespace.key);
        if (sharing) {
          sharing.push(member);
        } else {
          byNamespace.set(namespace.key, [member]);
        }
      }
    }
    const baselines = new Map<string, Baseline>();
    for (const [namespace, [owner, ...others]] of byNamespace) {
      if (owner) {
        figures.set(owner.id, this.readOwner(owner, namespace, baselines));
        others.forEach((other) => figures.set(other.id, { ...NONE, networkFrom: owner.id }));
      }
    }
    // Namespaces not seen this tick are forgotten: one coming back starts without a rate.
    this.baselines = baselines;
    return figures;
  }

  /** Closes what was kept open for a container that went away. */
  forget(id: string): void {
    this.processes.get(id)?.netDev.close();
    this.processes.delete(id);
  }

  close(): void {
    this.processes.forEach((process) => process.netDev.close());
    this.processes.clear();
    this.baselines.clear();
  }

  /** The namespace of a process; undefined when it is gone (or nothing can be read of it). */
  private namespaceOfPid(pid: number): Namespace | undefined {
    const path = join(this.procfs, String(pid));
    let link: string | undefined;
    let inode: number | undefined;
    try {
      link = readlinkSync(join(path, 'ns', 'net'));
    } catch {
      // Not permitted (or gone): the inode below still tells.
    }
    try {
      inode = statSync(join(path, 'net', 'dev')).ino;
    } catch {
      // Gone, or no procfs there.
    }
    if (link === undefined && inode === undefined) {
      return undefined;
    }
    return { key: link ?? `net/dev inode ${inode}`, link, inode };
  }

  // The process read from stays until it exits (nothing of it can be read); then another one is
  // chosen. Its open net/dev holds the namespace, so it is closed as soon as it is not needed.
  private namespaceOf(member: NetworkMember): Namespace | undefined {
    const known = this.processes.get(member.id);
    const now = this.now();
    if (known && now - known.checkedAt < NAMESPACE_RECHECK_MS && this.unchanged(known)) {
      return known.namespace;
    }
    if (known) {
      const namespace = this.namespaceOfPid(known.pid);
      if (namespace !== undefined) {
        known.namespace = namespace;
        known.checkedAt = now;
        return namespace;
      }
      this.forget(member.id);
    }
    const pid = firstPid(member.home);
    const namespace = pid === undefined ? undefined : this.namespaceOfPid(pid);
    if (pid !== undefined && namespace !== undefined) {
      this.processes.set(member.id, {
        pid,
        netDev: new ProcFile(join(this.procfs, String(pid), 'net', 'dev'), this.scratch),
        namespace,
        checkedAt: now,
      });
    }
    return namespace;
  }

  // Whether a process is still there in the namespace last seen: one stat of its net/dev, whose
  // inode is the namespace's, instead of a readlink and a stat.
  private unchanged(process: Process): boolean {
    if (process.namespace.inode === undefined) {
      return false;
    }
    try {
      return (
        statSync(join(this.procfs, String(process.pid), 'net', 'dev')).ino ===
        process.namespace.inode
      );
    } catch {
      return false;
    }
  }

  private readOwner(
    owner: NetworkMember,
    namespace: string,
    baselines: Map<string, Baseline>,
  ): ContainerNetwork {
    const netDev = this.processes.get(owner.id)?.netDev;
    if (!netDev) {
      return NONE;
    }
    let text: string;
    try {
      text = netDev.read();
    } catch {
      // Its process exited: another one is chosen next tick.
      this.forget(owner.id);
      return NONE;
    } finally {
      if (!owner.keepOpen) {
        netDev.close();
      }
    }
    const counters = parseNetDev(text).filter((counters) => counters.iface !== 'lo');
    const after = { at: this.now(), counters: new Map(counters.map((c) => [c.iface, c])) };
    baselines.set(namespace, after);
    const before = this.baselines.get(namespace);
    return before ? { ...rates(before, after), networkFrom: null } : NONE;
  }
}
