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
import { SampleHubService } from '../stream/sample-hub.service.js';
import { SampleStreamService } from '../stream/sample-stream.service.js';
import type { HostGroup, HostReading } from './sample.js';
import { SelfMonitor } from './self.monitor.js';
import { SystemInfoClient } from './system-info.client.js';

const JOB = 'sampler';
/** Read every tick; a failure fails the tick. */
const TICK_GROUPS: readonly HostGroup[] = [
  'cpu',
  'memory',
  'diskIo',
  'network',
  'uptime',
  'sensors',
];

/** Counters of the sampler's own troubles, for readiness and /metrics. */
export interface SamplerStats {
  samples: number;
  failedTicks: number;
  skippedTicks: number;
  failedGroupReads: number;
}

/** How long reading one group took. */
export interface GroupRead {
  group: HostGroup | 'tick';
  seconds: number;
}

/**
 * The one sampler of the process: reads the host once per tick and publishes the result to the
 * hub. Requests never trigger a sample. Cheap groups are read every tick; disks, container and
 * processes at their own cadence in the background, the sample carrying their last value. A
 * tick that fails is logged, counted and skipped; one that comes while the previous one still
 * runs is skipped rather than overlapped.
 */
@Injectable()
export class MetricsService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(MetricsService.name);
  private running = false;
  private readonly counters: SamplerStats = {
    samples: 0,
    failedTicks: 0,
    skippedTicks: 0,
    failedGroupReads: 0,
  };
  private readonly latest: Partial<HostReading> = { disks: null, processes: null };
  private readonly slowGroups: ReadonlyMap<HostGroup, number>;
  private readonly refreshedAt = new Map<HostGroup, number>();
  private readonly inFlight = new Set<HostGroup>();
  private readonly reads$ = new Subject<GroupRead>();

  /** Every group read and tick, with its duration. */
  readonly reads = this.reads$.asObservable();

  constructor(
    private readonly client: SystemInfoClient,
    private readonly hub: SampleHubService,
    private readonly streams: SampleStreamService,
    private readonly self: SelfMonitor,
    private readonly scheduler: SchedulerRegistry,
    @Inject(samplerConfig.KEY) private readonly config: ConfigType<typeof samplerConfig>,
  ) {
    this.slowGroups = new Map<HostGroup, number>([
      ['disks', config.disksIntervalMs],
      ['container', config.disksIntervalMs],
      ['processes', config.processesIntervalMs],
    ]);
  }

  get stats(): Readonly<SamplerStats> {
    return this.counters;
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
      const fresh = await Promise.all(TICK_GROUPS.map((group) => this.timed(group)));
      Object.assign(this.latest, ...fresh);
      const host = this.latest as HostReading;
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
        self: this.self.read(this.streams.subscribers),
      });
      this.counters.samples++;
      this.reads$.next({ group: 'tick', seconds: (performance.now() - started) / 1000 });
    } catch (error) {
      this.counters.failedTicks++;
      this.logger.warn(`Sample failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.running = false;
    }
  }

  private async timed(group: HostGroup): Promise<Partial<HostReading>> {
    const started = performance.now();
    const value = await this.client.read([group]);
    this.reads$.next({ group, seconds: (performance.now() - started) / 1000 });
    return value;
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

  // A failed slow group keeps its last value and is tried again at its next turn.
  private async refresh(group: HostGroup): Promise<void> {
    if (this.inFlight.has(group)) {
      return;
    }
    this.inFlight.add(group);
    this.refreshedAt.set(group, performance.now());
    try {
      Object.assign(this.latest, await this.timed(group));
    } catch (error) {
      this.counters.failedGroupReads++;
      this.logger.warn(
        `Reading ${group} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    } finally {
      this.inFlight.delete(group);
    }
  }
}
