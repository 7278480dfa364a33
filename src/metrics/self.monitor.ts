import { type IntervalHistogram, monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { SelfStatsDto } from '../hub/dto/self-stats.dto.js';

// The histogram's timer wakes the process every RESOLUTION_MS: measured on this service's
// 2-core bench machine, 20 wake-ups a second (50 ms) cost 0.13 % of a core, a third of vitals'
// whole idle budget, and 4 (250 ms) cost 0.03 %. A stall of a quarter of a tick or more is
// always seen; a shorter one in proportion to its length. It is the process's only such monitor:
// /metrics reports this figure too (prom-client's own is kept asleep).
const EVENT_LOOP_RESOLUTION_MS = 250;

/** Measures vitals' own cost between two readings: CPU, memory and event-loop delay. */
@Injectable()
export class SelfMonitor implements OnModuleInit, OnModuleDestroy {
  private readonly delay: IntervalHistogram = monitorEventLoopDelay({
    resolution: EVENT_LOOP_RESOLUTION_MS,
  });
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
    // One getrusage a tick: the difference is taken here, not by a second call.
    const cpu = process.cpuUsage();
    const usedMicros = cpu.user - this.lastCpu.user + (cpu.system - this.lastCpu.system);
    const elapsedMs = now - this.lastAt;
    this.lastCpu = cpu;
    this.lastAt = now;
    // The histogram measures how late its own timer fires, resolution included.
    const lagMs =
      this.delay.count > 0 ? this.delay.percentile(99) / 1e6 - EVENT_LOOP_RESOLUTION_MS : 0;
    this.delay.reset();
    return {
      cpu: elapsedMs > 0 ? Math.round((usedMicros / 1000 / elapsedMs) * 10000) / 100 : 0,
      rss: process.memoryUsage.rss(),
      eventLoopLagMs: Math.max(0, Math.round(lagMs * 100) / 100),
      subscribers,
    };
  }
}
