import { type IntervalHistogram, monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { SelfStatsDto } from '../hub/dto/self-stats.dto.js';

// Each histogram timer is a wake-up; at 10 ms the two monitors (this and prom-client's) were
// half of vitals' idle CPU. 50 ms still sees every stall long enough to delay a frame.
const RESOLUTION_MS = 50;

/** Measures vitals' own cost between two readings: CPU, memory and event-loop delay. */
@Injectable()
export class SelfMonitor implements OnModuleInit, OnModuleDestroy {
  private readonly delay: IntervalHistogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  private lastCpu = process.cpuUsage();
  private lastAt = performance.now();

  onModuleInit(): void {
    this.delay.enable();
  }

  onModuleDestroy(): void {
    this.delay.disable();
  }

  read(subscribers: number): SelfStatsDto {
    const now = performance.now();
    const cpu = process.cpuUsage(this.lastCpu);
    const elapsedMs = now - this.lastAt;
    this.lastCpu = process.cpuUsage();
    this.lastAt = now;
    // The histogram measures how late its own timer fires, resolution included.
    const lagMs = this.delay.count > 0 ? this.delay.percentile(99) / 1e6 - RESOLUTION_MS : 0;
    this.delay.reset();
    return {
      cpu:
        elapsedMs > 0 ? Math.round(((cpu.user + cpu.system) / 1000 / elapsedMs) * 10000) / 100 : 0,
      rss: process.memoryUsage.rss(),
      eventLoopLagMs: Math.max(0, Math.round(lagMs * 100) / 100),
      subscribers,
    };
  }
}
