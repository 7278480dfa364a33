import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Subscription } from 'rxjs';
import { alertsConfig } from './alerts.config.js';
import { SampleEvent } from '../hub/sample-event.js';
import { SampleHubService } from '../hub/sample-hub.service.js';
import type { AlertChange } from '../hub/alert-change.js';
import type { AlertRule } from './alert-rule.js';
import { AlertEvaluator } from './alert-evaluator.js';

/**
 * Evaluates the alert rules once per sample, in one place whatever the number of subscribers,
 * and publishes each change of state to the hub, where it joins the stream's id sequence right
 * after the sample that caused it.
 */
@Injectable()
export class AlertsService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(AlertsService.name);
  private readonly evaluator: AlertEvaluator;
  private subscription: Subscription | undefined;

  constructor(
    private readonly hub: SampleHubService,
    @Inject(alertsConfig.KEY) private readonly config: ConfigType<typeof alertsConfig>,
  ) {
    this.evaluator = new AlertEvaluator(config.rules);
  }

  /** The rules in force. */
  get rules(): readonly AlertRule[] {
    return this.config.rules;
  }

  onModuleInit(): void {
    const source = this.config.file ?? 'the built-in defaults';
    this.logger.log(`${this.rules.length} alert rules from ${source}`);
    this.subscription = this.hub.subscribe('alert rules', (event) => {
      // Samples from other hosts (a gateway's) come with their own agents' alerts.
      if (event instanceof SampleEvent && !event.remote) {
        this.evaluator.evaluate(event.sample).forEach((change) => this.raise(change));
      }
    });
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  private raise(change: AlertChange): void {
    this.hub.publishAlert(change);
    const labels = Object.entries(change.labels)
      .map(([name, value]) => ` ${name}=${value}`)
      .join('');
    const text = `${change.rule}${labels}: ${change.severity} (${change.metric} = ${change.value ?? 'gone'}, threshold ${change.threshold})`;
    if (change.severity === 'resolved') {
      this.logger.log(text);
    } else {
      this.logger.warn(text);
    }
  }
}
