import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { SampleHubService } from '../stream/sample-hub.service.js';

/**
 * Reports the active alerts by severity; informational: a host under load is a reason to alert,
 * not a reason to take vitals out of a load balancer.
 */
@Injectable()
export class AlertsIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly hub: SampleHubService,
  ) {}

  check(key: 'alerts'): HealthIndicatorResult<'alerts'> {
    const active = this.hub.activeAlerts.map((event) => event.alert);
    return this.indicators.check(key).up({
      active: active.length,
      warning: active.filter((alert) => alert.severity === 'warning').length,
      critical: active.filter((alert) => alert.severity === 'critical').length,
      rules: [...new Set(active.map((alert) => alert.rule))],
    });
  }
}
