import { Injectable } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';

/** One room's part of readiness: whether it is ready, and what it says about itself. */
export interface Readiness {
  ready: boolean;
  details: Record<string, unknown>;
}

/**
 * What each room reports about itself, so that /metrics and /health/ready read one place
 * instead of every room: counters and histograms in one prom-client registry, and one readiness
 * entry per room (sampler, streams, alerts, transport). Rooms register here at start-up; the
 * Prometheus and health rooms only read.
 */
@Injectable()
export class Telemetry {
  readonly registry = new Registry();
  private readonly checks = new Map<string, () => Readiness>();

  /**
   * A counter whose running total the room keeps itself (`read`); the exposition catches up
   * with it at each scrape, so the room's hot path only increments a number.
   */
  countTotal(name: string, help: string, read: () => number): void {
    let reported = 0;
    new Counter({
      name,
      help,
      registers: [this.registry],
      collect() {
        const total = read();
        if (total > reported) {
          this.inc(total - reported);
          reported = total;
        }
      },
    });
  }

  /** The room's entry in /health/ready, under `key`; one not ready makes the service unready. */
  reportReadiness(key: string, check: () => Readiness): void {
    this.checks.set(key, check);
  }

  /** Every room's readiness entry, in the order the rooms registered. */
  readiness(): ReadonlyMap<string, () => Readiness> {
    return this.checks;
  }
}
