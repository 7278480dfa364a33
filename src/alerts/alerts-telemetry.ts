import { Injectable, OnModuleInit } from '@nestjs/common';
import { SampleHubService } from '../hub/sample-hub.service.js';
import { Telemetry } from '../hub/telemetry.js';

/**
 * The alerts' readiness entry: the active alerts by severity. Informational: a host under load
 * is a reason to alert, not a reason to take vitals out of a load balancer.
 */
@Injectable()
export class AlertsTelemetry implements OnModuleInit {
  constructor(
    private readonly hub: SampleHubService,
    private readonly telemetry: Telemetry,
  ) {}

  onModuleInit(): void {
    this.telemetry.reportReadiness('alerts', () => {
      const active = this.hub.activeAlerts.map((event) => event.alert);
      return {
        ready: true,
        details: {
          active: active.length,
          warning: active.filter((alert) => alert.severity === 'warning').length,
          critical: active.filter((alert) => alert.severity === 'critical').length,
          rules: [...new Set(active.map((alert) => alert.rule))],
        },
      };
    });
  }
}
