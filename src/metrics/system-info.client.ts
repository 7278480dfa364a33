import { access, readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import si from 'systeminformation';
import { samplerConfig } from '../config/sampler.config.js';
import type { CpuStatsDto } from './dto/cpu-stats.dto.js';
import type { MemoryStatsDto } from './dto/memory-stats.dto.js';
import {
  type CpuTimes,
  cpuShares,
  memoryFromMemInfo,
  parseLoadAvg,
  parseMemInfo,
  parseProcStat,
} from './procfs.parser.js';
import type { HostReading } from './sample.js';

// The shortest window CPU shares are computed over: with 100 clock ticks a second per core,
// anything shorter is mostly rounding. Only the first reading after startup is ever that close.
const MIN_WINDOW_MS = 100;

interface TimesReading {
  times: CpuTimes[];
  at: number;
}

const round2 = (value: number): number => Math.round(value * 100) / 100;

/**
 * The only place that reads the host. On Linux the per-tick groups come straight from procfs
 * (VITALS_PROCFS): systeminformation's currentLoad() forks `cat /proc/stat` synchronously on
 * every call and has no iowait. Elsewhere systeminformation provides them.
 */
@Injectable()
export class SystemInfoClient implements OnModuleInit {
  private readonly logger = new Logger(SystemInfoClient.name);
  private readonly useProcfs = process.platform === 'linux';
  private previousTimes?: TimesReading;
  private previousCpu?: CpuStatsDto;

  constructor(
    @Inject(samplerConfig.KEY) private readonly config: ConfigType<typeof samplerConfig>,
  ) {}

  async onModuleInit(): Promise<void> {
    if (!this.useProcfs) {
      this.logger.log(`Reading the host through systeminformation on ${process.platform}`);
      return;
    }
    const stat = this.procPath('stat');
    try {
      await access(stat);
    } catch {
      throw new Error(`Cannot read ${stat}: VITALS_PROCFS must point at a procfs mount`);
    }
    // The baseline for the first sample's CPU shares, which would otherwise be since boot.
    this.previousTimes = await this.readProcTimes();
    this.logger.log(`Reading the host from ${this.config.procfs}`);
  }

  async read(): Promise<HostReading> {
    const [cpu, memory] = this.useProcfs
      ? await Promise.all([this.readProcCpu(), this.readProcMemory()])
      : await Promise.all([this.readPortableCpu(), this.readPortableMemory()]);
    return { cpu, memory };
  }

  private procPath(name: string): string {
    return join(this.config.procfs, name);
  }

  private async readProcTimes(): Promise<TimesReading> {
    const text = await readFile(this.procPath('stat'), 'utf8');
    return { times: parseProcStat(text), at: performance.now() };
  }

  private async readProcCpu(): Promise<CpuStatsDto> {
    const before = this.previousTimes ?? (await this.readProcTimes());
    const wait = MIN_WINDOW_MS - (performance.now() - before.at);
    if (wait > 0) {
      await sleep(wait);
    }
    const [after, loadText] = await Promise.all([
      this.readProcTimes(),
      readFile(this.procPath('loadavg'), 'utf8'),
    ]);
    const [totalBefore, ...coresBefore] = before.times;
    const [totalAfter, ...coresAfter] = after.times;
    const total = totalBefore && totalAfter ? cpuShares(totalBefore, totalAfter) : null;
    if (!total) {
      // Two reads within one clock tick: nothing new to say, repeat the previous figures.
      if (this.previousCpu) {
        return this.previousCpu;
      }
      throw new Error('no CPU time elapsed between two readings of /proc/stat');
    }
    this.previousTimes = after;
    const cores = coresAfter.map((core, index) => {
      const previous = coresBefore[index];
      return previous ? (cpuShares(previous, core)?.usage ?? 0) : 0;
    });
    this.previousCpu = {
      ...total,
      cores,
      load: parseLoadAvg(loadText),
      count: coresAfter.length,
    };
    return this.previousCpu;
  }

  private async readProcMemory(): Promise<MemoryStatsDto> {
    return memoryFromMemInfo(parseMemInfo(await readFile(this.procPath('meminfo'), 'utf8')));
  }

  private async readPortableCpu(): Promise<CpuStatsDto> {
    const load = await si.currentLoad();
    return {
      usage: round2(load.currentLoad),
      user: round2(load.currentLoadUser + load.currentLoadNice),
      system: round2(load.currentLoadSystem + load.currentLoadIrq),
      // systeminformation reports no iowait, and steal only on Linux, which reads procfs.
      iowait: null,
      steal: null,
      idle: round2(load.currentLoadIdle),
      cores: load.cpus.map((core) => round2(core.load)),
      load: process.platform === 'win32' ? null : loadavg().map(round2),
      count: load.cpus.length,
    };
  }

  private async readPortableMemory(): Promise<MemoryStatsDto> {
    const mem = await si.mem();
    const used = mem.total - mem.available;
    return {
      total: mem.total,
      used,
      available: mem.available,
      usage: round2((used / mem.total) * 100),
      swapTotal: mem.swaptotal,
      swapUsed: mem.swapused,
      swapUsage: mem.swaptotal > 0 ? round2((mem.swapused / mem.swaptotal) * 100) : null,
    };
  }
}
