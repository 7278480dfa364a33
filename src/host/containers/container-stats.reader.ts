import { existsSync, readFileSync } from 'node:fs';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { ContainerStatsDto } from '../../hub/dto/container-stats.dto.js';
import { ratePerSecond } from '../procfs.parser.js';
import type { IoBytes } from './cgroup-stats.parser.js';
import { ContainerCgroupFiles } from './container-cgroup.files.js';
import type { DiscoveredContainer } from './container.discovery.js';
import { ContainerNetworkReader } from './container-network.reader.js';

/** The cumulative counters of one reading, and when it was taken. */
interface Counters {
  at: number;
  cpuNs: number | undefined;
  io: IoBytes | undefined;
}

interface State {
  container: DiscoveredContainer;
  /** Its sources when its files were opened: another cgroup for the same id starts afresh. */
  key: string;
  files: ContainerCgroupFiles;
  keepOpen: boolean;
  previous?: Counters;
  /** Its limits when last read, and when: `docker update` is rare, a tick is every second. */
  limits?: { cpu: number | null | undefined; memory: number | null | undefined; at: number };
}

// How long limits read from cpu.max and memory.max are taken as current.
const LIMITS_RECHECK_MS = 5000;

/** A container's figures before the runtime's API names it. */
export type UnnamedContainerStats = Omit<ContainerStatsDto, 'name' | 'image'>;
// What its cgroup files say; the network comes from one of its processes.
type CgroupFigures = Pick<
  ContainerStatsDto,
  | 'cpu'
  | 'cpuLimit'
  | 'memory'
  | 'memoryLimit'
  | 'memoryUsage'
  | 'readBytesPerSec'
  | 'writeBytesPerSec'
  | 'pids'
>;

// Containers read per turn of the event loop: a host with hundreds never stalls a tick.
const BATCH = 64;
// Descriptors stay open for as many containers (up to 9 files each) as a quarter of the
// process's descriptor limit allows; the others open and close their files at every read, so
// thousands of containers cannot use up the descriptors that the stream's clients need.
const FILES_PER_CONTAINER = 9;

/** How many containers may keep their files open, from RLIMIT_NOFILE's soft limit. */
export function keptOpenContainers(limits = readLimits()): number {
  const soft = /^Max open files\s+(\d+|unlimited)/m.exec(limits)?.[1];
  const descriptors = soft === undefined ? 1024 : soft === 'unlimited' ? 65536 : Number(soft);
  return Math.floor(Math.min(descriptors, 65536) / 4 / FILES_PER_CONTAINER);
}

function readLimits(): string {
  try {
    return readFileSync('/proc/self/limits', 'utf8');
  } catch {
    return '';
  }
}

const round2 = (value: number): number => Math.round(value * 100) / 100;
const attempt = <T>(read: () => T): T | undefined => {
  try {
    return read();
  } catch {
    return undefined;
  }
};

/** % of one core between two readings of CPU time in ns; null when the counter went back. */
function cpuPercent(before: number, after: number, seconds: number): number | null {
  return after < before || seconds <= 0 ? null : round2((after - before) / 1e7 / seconds);
}

/**
 * Every discovered container's CPU, memory, I/O and network over the last tick, from its cgroup
 * files and one of its processes, without forking. Rates are deltas against the container's
 * previous reading: null on its first and after a counter went backwards. A file that cannot be
 * read makes its figure null; a container whose cgroup is gone is left out, and its descriptors
 * are closed (one that comes back starts over).
 */
export class ContainerStatsReader {
  private readonly states = new Map<string, State>();
  private readonly network: ContainerNetworkReader;
  private keptOpen = 0;

  constructor(
    procfs: string,
    private readonly now: () => number,
    private readonly keepOpenLimit: number = keptOpenContainers(),
  ) {
    this.network = new ContainerNetworkReader(procfs, now);
  }

  /** The figures of the containers (given sorted by id), in the same order. */
  async read(containers: readonly DiscoveredContainer[]): Promise<UnnamedContainerStats[]> {
    const current = new Set(containers.map((container) => container.id));
    [...this.states.keys()].filter((id) => !current.has(id)).forEach((id) => this.forget(id));
    const present: { state: State; figures: CgroupFigures }[] = [];
    for (let i = 0; i < containers.length; i += BATCH) {
      if (i > 0) {
        await yieldToLoop();
      }
      for (const container of containers.slice(i, i + BATCH)) {
        const state = this.stateOf(container);
        const figures = this.readCgroup(state);
        if (figures) {
          present.push({ state, figures });
        } else {
          this.forget(container.id); // gone between the walk and this read
        }
      }
    }
    const network = this.network.read(
      present.map(({ state }) => ({
        id: state.container.id,
        home: state.container.sources.home,
        keepOpen: state.keepOpen,
      })),
    );
    return present.map(({ state: { container }, figures }) => {
      const net = network.get(container.id);
      return {
        id: container.id,
        runtime: container.runtime,
        cgroup: container.cgroup,
        pod: container.pod,
        cpu: figures.cpu,
        cpuLimit: figures.cpuLimit,
        memory: figures.memory,
        memoryLimit: figures.memoryLimit,
        memoryUsage: figures.memoryUsage,
        rxBytesPerSec: net?.rxBytesPerSec ?? null,
        txBytesPerSec: net?.txBytesPerSec ?? null,
        networkFrom: net?.networkFrom ?? null,
        readBytesPerSec: figures.readBytesPerSec,
        writeBytesPerSec: figures.writeBytesPerSec,
        pids: figures.pids,
      };
    });
  }

  /** Closes every descriptor kept open. */
  close(): void {
    [...this.states.keys()].forEach((id) => this.forget(id));
    this.network.close();
  }

  private stateOf(container: DiscoveredContainer): State {
    const key = `${container.cgroup}\n${JSON.stringify(container.sources)}`;
    const known = this.states.get(container.id);
    if (known?.key === key) {
      known.container = container;
      return known;
    }
    if (known) {
      this.forget(container.id);
    }
    const keepOpen = this.keptOpen < this.keepOpenLimit;
    this.keptOpen += keepOpen ? 1 : 0;
    const state = {
      container,
      key,
      files: new ContainerCgroupFiles(container.sources, keepOpen),
      keepOpen,
    };
    this.states.set(container.id, state);
    return state;
  }

  private forget(id: string): void {
    const state = this.states.get(id);
    if (state) {
      state.files.close();
      this.keptOpen -= state.keepOpen ? 1 : 0;
      this.states.delete(id);
    }
    this.network.forget(id);
  }

  /** Its cgroup figures, or undefined when its cgroup is gone. */
  private readCgroup(state: State): CgroupFigures | undefined {
    const { files, previous } = state;
    const cpuNs = attempt(() => files.cpuTimeNs());
    const io = attempt(() => files.io());
    const at = this.now();
    const memory = attempt(() => files.memoryUsed());
    if (state.limits === undefined || at - state.limits.at >= LIMITS_RECHECK_MS) {
      const cpu = attempt(() => files.cpuLimit());
      state.limits = { cpu, memory: attempt(() => files.memoryLimit()), at };
    }
    const { cpu: cpuLimit, memory: memoryLimit } = state.limits;
    const pids = attempt(() => files.pids());
    const failed = [cpuNs, io, memory, pids].includes(undefined);
    if (failed && !existsSync(state.container.sources.home)) {
      return undefined;
    }
    state.previous = { at, cpuNs, io };
    const seconds = previous ? (at - previous.at) / 1000 : 0;
    const rate = (key: keyof IoBytes): number | null =>
      previous?.io && io ? ratePerSecond(previous.io[key], io[key], seconds) : null;
    return {
      cpu:
        previous?.cpuNs !== undefined && cpuNs !== undefined
          ? cpuPercent(previous.cpuNs, cpuNs, seconds)
          : null,
      cpuLimit: cpuLimit ?? null,
      memory: memory ?? null,
      memoryLimit: memoryLimit ?? null,
      memoryUsage:
        memory !== undefined && memoryLimit !== undefined && memoryLimit !== null && memoryLimit > 0
          ? round2((memory / memoryLimit) * 100)
          : null,
      readBytesPerSec: rate('read'),
      writeBytesPerSec: rate('write'),
      pids: pids ?? null,
    };
  }
}
