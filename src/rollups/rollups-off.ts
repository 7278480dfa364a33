import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { Telemetry } from '../hub/telemetry.js';

/** With VITALS_ROLLUPS=off: only a readiness entry saying so. */
@Injectable()
export class RollupsOff implements OnModuleInit {
  constructor(private readonly telemetry: Telemetry) {}

  onModuleInit(): void {
    new Logger('Rollups').log('VITALS_ROLLUPS=off: no history is kept');
    this.telemetry.reportReadiness('rollups', () => ({ ready: true, details: { off: true } }));
  }
}
