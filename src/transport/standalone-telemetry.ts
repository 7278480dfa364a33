import { Injectable, OnModuleInit } from '@nestjs/common';
import { Telemetry } from '../hub/telemetry.js';

/** Standalone: no Redis, and readiness says so. */
@Injectable()
export class StandaloneTelemetry implements OnModuleInit {
  constructor(private readonly telemetry: Telemetry) {}

  onModuleInit(): void {
    this.telemetry.reportReadiness('transport', () => ({
      ready: true,
      details: { mode: 'standalone' },
    }));
  }
}
