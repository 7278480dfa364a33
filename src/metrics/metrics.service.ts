import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Subject } from 'rxjs';
import { samplerConfig } from '../config/sampler.config.js';
import { SampleHubService } from '../hub/sample-hub.service.js';
import { Audience } from '../hub/audience.js';
import type { HostGroup, HostReading } from '../hub/sample.js';
import { HOST_READER, type HostReader } from '../host/host-reader.js';
import { errorMessage } from '../common/error-message.js';
import { GroupFailures } from './group-failures.js';
import { SelfMonitor } from './self.monitor.js';

const JOB = 'sampler';
/** Read every tick; a group that fails is null in that tick's sample. */
const TICK_GROUPS: readonly HostGroup[] = [
  'cpu',
  'memory',
  'diskIo',
  'network',
  'uptime',
  'sensors',
  'containers',
  'gpus',
];

/** Counters of the sampler's own troubles, for readiness and /metrics. */
export interface SamplerStats {
  samples: number;
  /** Ticks that produced no sample: every per-tick group failed, or publishing did. */
  failedTicks: number;
  skippedTicks: number;
  /** Failed reads of each group since start (every group sampled here, from 0). */
  groupFailures: Partial<Record<HostGroup, number>>;
  /** Groups whose latest read failed. */
  failingGroups: HostGroup[];
}

/** How long reading one group took. */
export interface GroupRead {
  group: HostGroup | 'tick';
  seconds: number;
}

type GroupValue<G extends HostGroup> = NonNullable<HostReading[G]>;
/** What goes into the next sample: each group's latest value, or null. */
type Latest = { [G in HostGroup]: GroupValue<G> | null };
// A read may answer null: the host has no such thing to read (containers off Linux).
type GroupReads = { [G in HostGroup]: () => Promise<GroupValue<G> | null> };

/**
 * The one sampler of the process: reads the host once per tick and publishes the result to the
 * hub. Requests never trigger a sample. Cheap groups are read every tick; disks, container and
 * processes at their own cadence in the background, the sample carrying their last value. Each
 * group is read on its own: one that fails is null in the sample (a slow one keeps its last
 * value), counted, and logged when it starts failing and when it recovers, while the others go
 * on. A tick in which every per-tick group fails publishes nothing and counts as failed; one
 * that comes while the previous one still runs is skipped rather than overlapped.
 */
@Injectable()
export class MetricsService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(MetricsService.name);
  private running = false;
  private readonly counters = { samples: 0, failedTicks: 0, skippedTicks: 0 };
  private readonly failures: GroupFailures;
  private readonly groupReads: GroupReads;
  private readonly latest: Latest = {
    cpu: null,
    memory: null,
    disks: null,
    diskIo: null,
    network: null,
    processes: null,
    sensors: null,
    uptime: null,
    container: null,
    containers: null,
    gpus: null,
  };
  private readonly slowGroups: ReadonlyMap<HostGroup, number>;
  private readonly refreshedAt = new Map<HostGroup, number>();
  private readonly inFlight = new Set<HostGroup>();
  private readonly reads$ = new Subject<GroupRead>();

  /** Every group read and tick, with its duration. */
  readonly reads = this.reads$.asObservable();

  constructor(
    @Inject(HOST_READER) host: HostReader,
    private readonly hub: SampleHubService,
    private readonly audience: Audience,
    private readonly self: SelfMonitor,
    private readonly scheduler: SchedulerRegistry,
    @Inject(samplerConfig.KEY) private readonly config: ConfigType<typeof samplerConfig>,
  ) {
    this.slowGroups = new Map<HostGroup, number>([
      ['disks', config.disksIntervalMs],
      ['container', config.disksIntervalMs],
      ['processes', config.processesIntervalMs],
    ]);
    this.failures = new GroupFailures(this.logger, TICK_GROUPS, new Set(this.slowGroups.keys()));
    this.groupReads = {
      cpu: () => host.readCpu(),
      memory: () => host.readMemory(),
      disks: () => host.readDisks(),
      diskIo: () => host.readDiskIo(),
      network: () => host.readNetwork(),
      processes: () => host.readProcesses(this.config.topProcesses),
      sensors: () => host.readSensors(),
      uptime: () => host.readUptime(),
      container: () => host.readContainer(),
      containers: () => host.readContainers(),
      gpus: () => host.readGpus(),
    };
  }

  get stats(): Readonly<SamplerStats> {
    return {
      ...this.counters,
      groupFailures: this.failures.counts,
      failingGroups: this.failures.failing,
    };
  }

  // Runs before the server listens: the first sample, with every group, exists before the
  // first request.
  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.enabled) {
      this.logger.log('Gateway: no local sampling; samples come from the agents through Redis');
      return;
    }
    await Promise.all([...this.slowGroups.keys()].map((group) => this.refresh(group)));
    await this.tick();
    this.scheduler.addInterval(
      JOB,
      setInterval(() => void this.tick(), this.config.intervalMs),
    );
    this.logger.log(`Sampling ${this.config.hostName} every ${this.config.intervalMs} ms`);
  }

  beforeApplicationShutdown(): void {
    if (this.scheduler.doesExist('interval', JOB)) {
      this.scheduler.deleteInterval(JOB);
    }
    this.reads$.complete();
  }

  /** Takes one sample and publishes it, unless the previous one is still being taken. */
  async tick(): Promise<void> {
    if (this.running) {
      this.counters.skippedTicks++;
      this.logger.warn('Tick skipped: the previous sample is still being taken');
      return;
    }
    this.running = true;
    const started = performance.now();
    try {
      this.refreshDueGroups();
      const read = await Promise.all(TICK_GROUPS.map((group) => this.update(group)));
      if (!read.includes(true)) {
        // Nothing of the host could be read: a sample of nulls would tell no one anything.
        throw new Error(`no group could be read (${TICK_GROUPS.join(', ')})`);
      }
      const host = this.latest;
      // Spelled out so every sample lists its groups in the contract's order.
      this.hub.publish({
        timestamp: new Date().toISOString(),
        host: this.config.hostName,
        cpu: host.cpu,
        memory: host.memory,
        disks: host.disks,
        diskIo: host.diskIo,
        network: host.network,
        processes: host.processes,
        sensors: host.sensors,
        uptime: host.uptime,
        container: host.container,
        containers: host.containers,
        gpus: host.gpus,
        self: this.self.read(this.audience.size),
      });
      this.counters.samples++;
      this.reads$.next({ group: 'tick', seconds: (performance.now() - started) / 1000 });
    } catch (error) {
      this.counters.failedTicks++;
      this.logger.warn(`Sample failed: ${errorMessage(error)}`);
    } finally {
      this.running = false;
    }
  }

  /**
   * Reads `group` into the next sample and says whether it could be read. A failed read is
   * counted and logged; it makes a per-tick group null and leaves a slow group's last value.
   */
  private async update<G extends HostGroup>(group: G): Promise<boolean> {
    const started = performance.now();
    try {
      this.latest[group] = await this.groupReads[group]();
      this.reads$.next({ group, seconds: (performance.now() - started) / 1000 });
      this.failures.succeeded(group);
      return true;
    } catch (error) {
      this.failures.failed(group, error);
      if (!this.slowGroups.has(group)) {
        this.latest[group] = null;
      }
      return false;
    }
  }

  // Slow groups refresh in the background: a 100 ms process-table read never delays a tick.
  private refreshDueGroups(): void {
    const now = performance.now();
    for (const [group, every] of this.slowGroups) {
      if (now - (this.refreshedAt.get(group) ?? -Infinity) >= every) {
        void this.refresh(group);
      }
    }
  }

  // A failed slow group keeps its last value (null until a first success) and is tried again
  // at its next turn: a filesystem or process list a little old says more than none.
  private async refresh(group: HostGroup): Promise<void> {
    if (this.inFlight.has(group)) {
      return;
    }
    this.inFlight.add(group);
    this.refreshedAt.set(group, performance.now());
    try {
      await this.update(group);
    } finally {
      this.inFlight.delete(group);
    }
  }
}
