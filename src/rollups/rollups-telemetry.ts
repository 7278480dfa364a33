import { Injectable, type OnModuleInit } from '@nestjs/common';
import { Telemetry } from '../hub/telemetry.js';
import { RollupsService } from './rollups.service.js';

/**
 * The rollups' readiness entry and counters. Always ready: a store that fails at run time costs
 * history, not live data or alerts, so it is shown (details.rollups) and counted, not fatal.
 */
@Injectable()
export class RollupsTelemetry implements OnModuleInit {
  constructor(
    private readonly rollups: RollupsService,
    private readonly telemetry: Telemetry,
  ) {}

  onModuleInit(): void {
    const { queue, store } = this.rollups;
    this.telemetry.reportReadiness('rollups', () => ({
      ready: true,
      details: {
        store: store.label,
        tiers: this.rollups.tiers.map((tier) => tier.name),
        queued: queue.queued,
        written: queue.written,
        dropped: queue.dropped,
        failures: queue.failures,
        lastError: queue.lastError ?? null,
      },
    }));
    this.telemetry.countTotal(
      'vitals_rollup_buckets_written_total',
      'Rollup buckets written to the store',
      () => queue.written,
    );
    this.telemetry.countTotal(
      'vitals_rollup_write_failures_total',
      'Failed writes (and prunes) of the rollup store',
      () => queue.failures,
    );
    this.telemetry.countTotal(
      'vitals_rollup_buckets_dropped_total',
      'Closed rollup buckets dropped because the write queue was full',
      () => queue.dropped,
    );
  }
}
