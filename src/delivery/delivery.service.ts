import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnModuleInit,
} from '@nestjs/common';
import type { Subscription } from 'rxjs';
import type { AlertChange } from '../hub/alert-change.js';
import { AlertEvent, alertKey } from '../hub/alert-event.js';
import { DeliveryLeasePort } from '../hub/delivery-lease.port.js';
import { SampleHubService } from '../hub/sample-hub.service.js';
import { deliveryConfig, type DeliveryModuleConfig } from './delivery.config.js';
import { type Receiver, receiversFor } from './delivery-config.js';
import { DeliveryLog } from './delivery-log.js';
import { alertmanagerRequest, deliveryRequest } from './receiver-payloads.js';
import { alertmanagerAlerts } from './alertmanager-alerts.js';
import { type DeliveryRecord, ReceiverQueue, type Send } from './receiver-queue.js';

/** Changes waiting per receiver at most; past it the oldest is dropped and counted. */
export const DELIVERY_QUEUE_CAPACITY = 1000;
const TIMEOUT_MS = 5000;
const MAX_ATTEMPTS = 5;
const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 60_000;
/**
 * How often the active alerts are sent to Alertmanager again: it resolves an alert by itself
 * once its endsAt has passed, so each re-send sets endsAt four periods ahead (as Prometheus).
 */
export const ALERTMANAGER_RESEND_MS = 60_000;

/** The injection token of the function that sends a request (fetch; tests may pass another). */
export const DELIVERY_SEND = Symbol('DeliverySend');

/**
 * Delivers every alert change the hub carries (this host's, and on a gateway its agents') to
 * the receivers its routes name, each receiver through its own bounded queue with retries, so
 * nothing on this path can slow a tick. Alertmanager is also sent the active alerts again on
 * its expected cadence, so that they do not time out while they last.
 */
@Injectable()
export class DeliveryService implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('Delivery');
  readonly queues = new Map<string, ReceiverQueue>();
  readonly log = new DeliveryLog();
  /** Deliveries by receiver and result, for /metrics. */
  readonly counts = new Map<string, Record<DeliveryRecord['result'], number>>();
  // Each active alert's latest change: Alertmanager needs the level it fired at to end it.
  private readonly active = new Map<string, AlertChange>();
  private subscription: Subscription | undefined;
  private resend: NodeJS.Timeout | undefined;

  constructor(
    private readonly hub: SampleHubService,
    @Inject(deliveryConfig.KEY) private readonly config: DeliveryModuleConfig,
    @Inject(DELIVERY_SEND) private readonly send: Send,
    private readonly lease: DeliveryLeasePort,
  ) {}

  /** Whether this process delivers now (among a gateway's replicas, the lease's holder). */
  get delivering(): boolean {
    return this.lease.holder;
  }

  get receivers(): readonly Receiver[] {
    return this.config.receivers;
  }

  onModuleInit(): void {
    if (this.config.receivers.length === 0) {
      return;
    }
    // An agent's alerts reach its gateway through Redis, and the gateway delivers them.
    if (this.config.mode === 'agent') {
      this.logger.log('Agent: alert delivery is left to the gateway');
      return;
    }
    for (const receiver of this.config.receivers) {
      this.counts.set(receiver.name, { sent: 0, failed: 0, dropped: 0 });
      this.queues.set(
        receiver.name,
        new ReceiverQueue(receiver.name, {
          capacity: DELIVERY_QUEUE_CAPACITY,
          timeoutMs: TIMEOUT_MS,
          maxAttempts: MAX_ATTEMPTS,
          retryMinMs: RETRY_MIN_MS,
          retryMaxMs: RETRY_MAX_MS,
          send: this.send,
          onResult: (record) => this.recorded(record),
        }),
      );
    }
    const names = this.config.receivers.map((r) => `${r.name} (${r.kind})`).join(', ');
    this.logger.log(`Delivering alerts to ${names}`);
    this.subscription = this.hub.subscribe('alert delivery', (event) => {
      if (event instanceof AlertEvent) {
        this.deliver(event);
      }
    });
    if (this.config.receivers.some((receiver) => receiver.kind === 'alertmanager')) {
      this.resend = setInterval(() => this.resendActive(), ALERTMANAGER_RESEND_MS);
      this.resend.unref();
    }
  }

  beforeApplicationShutdown(): void {
    this.subscription?.unsubscribe();
    clearInterval(this.resend);
    this.queues.forEach((queue) => queue.stop());
  }

  private deliver(event: AlertEvent): void {
    const change = event.alert;
    const key = alertKey(change);
    const previous = this.active.get(key);
    if (change.severity === 'resolved') {
      this.active.delete(key);
    } else {
      this.active.set(key, change);
    }
    // Kept up to date all the same: a replica that takes the lease over knows what is active.
    if (!this.lease.holder) {
      return;
    }
    // A resolve also goes wherever the alert went while it fired (a route for critical only
    // must still hear that it is over, or Alertmanager would wait out its timeout).
    const firedTo = previous ? receiversFor(this.config, previous) : [];
    const receivers = new Set([...receiversFor(this.config, change), ...firedTo]);
    for (const receiver of change.severity === 'resolved'
      ? receivers
      : receiversFor(this.config, change)) {
      const request = deliveryRequest(
        receiver,
        { eventId: event.eventId, alert: change },
        { previous, expiresAt: this.expiresAt() },
      );
      this.queues.get(receiver.name)?.enqueue({
        rule: change.rule,
        host: change.host,
        severity: change.severity,
        request,
      });
    }
  }

  // The active alerts again, one request per Alertmanager receiver whose routes take them.
  private resendActive(): void {
    if (!this.lease.holder) {
      return;
    }
    for (const receiver of this.config.receivers) {
      if (receiver.kind !== 'alertmanager') {
        continue;
      }
      const alerts = [...this.active.values()]
        .filter((change) => receiversFor(this.config, change).includes(receiver))
        .flatMap((change) =>
          alertmanagerAlerts(change, { previous: change, expiresAt: this.expiresAt() }),
        );
      if (alerts.length > 0) {
        this.queues.get(receiver.name)?.enqueue({
          rule: '(active alerts)',
          host: '',
          severity: 'resend',
          request: alertmanagerRequest(receiver, alerts),
        });
      }
    }
  }

  private expiresAt(): string {
    return new Date(Date.now() + 4 * ALERTMANAGER_RESEND_MS).toISOString();
  }

  private recorded(record: DeliveryRecord): void {
    this.log.add(record);
    const counts = this.counts.get(record.receiver);
    if (counts) {
      counts[record.result] += 1;
    }
    if (record.result !== 'sent') {
      this.logger.warn(
        `Alert ${record.rule} on ${record.host || 'every host'} to ${record.receiver}: ` +
          `${record.result} after ${record.attempts} attempts (${record.error ?? 'no error'})`,
      );
    }
  }
}
