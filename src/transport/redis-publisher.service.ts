import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Subscription } from 'rxjs';
import type { AlertChange } from '../hub/alert-change.js';
import { samplerConfig } from '../config/sampler.config.js';
import { transportConfig } from '../config/transport.config.js';
import { AlertEvent } from '../hub/alert-event.js';
import type { HubEvent } from '../hub/hub-event.js';
import { SampleHubService } from '../hub/sample-hub.service.js';
import { RedisStreamRepository, type StreamAppend } from './redis-stream.repository.js';
import { encodeEntry } from './stream-entry.codec.js';
import type { TransportHealth } from './transport-health.js';
import { errorMessage } from '../common/error-message.js';

// Entries sent in one pipeline: a backlog after an outage drains in a few round trips.
const BATCH = 200;
// How long shutdown waits for buffered entries to reach Redis.
const SHUTDOWN_FLUSH_MS = 1000;

/** Counters of an agent's publishing. */
export interface PublisherStats {
  published: number;
  /** Events dropped from a full buffer while Redis was away. */
  dropped: number;
  buffered: number;
}

/**
 * An agent's link to the gateways: every event the hub publishes (samples and alerts) is
 * appended to the Redis Stream with `XADD ... MAXLEN ~`, in order. While Redis is unreachable
 * the events wait in a bounded buffer (VITALS_AGENT_BUFFER; the oldest go first when it is
 * full) and the agent's own API carries on; they are sent, in order, once Redis is back. Each
 * entry carries an idempotency key (`run`: random per process start, `seq`: its number in the
 * run), so that gateways leave out what a retry after a lost reply appends a second time.
 */
@Injectable()
export class RedisPublisherService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(RedisPublisherService.name);
  private subscription: Subscription | undefined;
  // Entries waiting for Redis; an alert's also updates the hash of active alerts.
  private readonly pending: StreamAppend[] = [];
  // Alerts this process raised: the ones a previous run left active are the others.
  private readonly raised = new Set<string>();
  private reconciled = false;
  private flushing: Promise<void> | undefined;
  private outage = false;
  private readonly counters = { published: 0, dropped: 0 };
  /** This process's run: the first half of every entry's idempotency key. */
  readonly runId = randomUUID();
  private seq = 0;

  constructor(
    private readonly hub: SampleHubService,
    private readonly redis: RedisStreamRepository,
    @Inject(transportConfig.KEY) private readonly config: ConfigType<typeof transportConfig>,
    @Inject(samplerConfig.KEY) private readonly sampler: ConfigType<typeof samplerConfig>,
  ) {}

  get stats(): PublisherStats {
    return { ...this.counters, buffered: this.pending.length };
  }

  // Subscribed before any module's bootstrap, so the first sample is published too.
  onModuleInit(): void {
    const connected = this.redis.connect('vitals-agent', {
      onReady: () => {
        if (this.outage) {
          this.logger.log(`Redis is back: sending ${this.pending.length} buffered events`);
        }
        this.outage = false;
        void this.reconcile().finally(() => void this.flush());
      },
      onError: (error) => this.lost(error),
    });
    if (!connected) {
      return;
    }
    this.subscription = this.hub.subscribe('Redis publisher', (event) => {
      if (!event.remote) {
        this.enqueue(this.pendingOf(event));
      }
    });
    this.logger.log(`Publishing to the Redis Stream ${this.config.stream} as run ${this.runId}`);
  }

  async onApplicationShutdown(): Promise<void> {
    this.subscription?.unsubscribe();
    // What waits is sent if Redis takes it in time: shutdown has 2 s in all.
    if (this.redis.ready) {
      const deadline = new AbortController();
      await Promise.race([
        this.drain(),
        sleep(SHUTDOWN_FLUSH_MS, undefined, { signal: deadline.signal }).catch(() => undefined),
      ]);
      deadline.abort();
    }
    if (this.pending.length > 0) {
      this.logger.warn(`Stopping with ${this.pending.length} events not sent to Redis`);
    }
    this.redis.disconnect();
  }

  // Waits for the flush under way, then sends what is left.
  private async drain(): Promise<void> {
    await this.flushing;
    await this.flush();
  }

  health(): TransportHealth {
    const connected = this.redis.ready;
    return {
      // An agent serves its own host whether or not Redis is there: never unready for it.
      ready: true,
      details: { mode: 'agent', redis: connected ? 'connected' : 'unreachable', ...this.stats },
    };
  }

  private pendingOf(event: HubEvent): StreamAppend {
    if (!(event instanceof AlertEvent)) {
      return { fields: encodeEntry(event) };
    }
    this.raised.add(event.key);
    return { fields: encodeEntry(event), alertKey: event.key };
  }

  // An agent that restarts has forgotten the alerts its previous run left active, and will
  // never resolve them: it resolves them now, so gateways do not show them forever. Those
  // still true are raised again by the rules.
  private async reconcile(): Promise<void> {
    if (this.reconciled) {
      return;
    }
    try {
      const active = await this.redis.activeAlerts();
      this.reconciled = true;
      const now = new Date().toISOString();
      for (const { key, alert } of active) {
        if (alert.host !== this.sampler.hostName || this.raised.has(key)) {
          continue;
        }
        const resolved: AlertChange = {
          ...alert,
          severity: 'resolved',
          value: null,
          since: now,
        };
        const data = JSON.stringify(resolved);
        this.enqueue({
          fields: ['kind', 'alert', 'host', resolved.host, 'data', data],
          alertKey: key,
        });
      }
    } catch (error) {
      this.lost(error);
    }
  }

  private enqueue(entry: StreamAppend): void {
    // Numbered once, here: a batch sent again carries the same keys.
    entry.fields.push('run', this.runId, 'seq', String(++this.seq));
    this.pending.push(entry);
    if (this.pending.length > this.config.agentBuffer) {
      this.pending.shift();
      this.counters.dropped++;
    }
    void this.flush();
  }

  private flush(): Promise<void> {
    if (this.flushing || !this.redis.ready) {
      return Promise.resolve();
    }
    this.flushing = this.send().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async send(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.slice(0, BATCH);
        const { appended, error } = await this.redis.append(batch);
        // Entries are appended in order: drop from the buffer the ones Redis took, keep the rest.
        this.removeSent(batch, appended);
        if (error) {
          throw error;
        }
      }
    } catch (error) {
      this.lost(error);
    }
  }

  // The buffer may have dropped its oldest entries while the batch was in flight.
  private removeSent(batch: StreamAppend[], sent: number): void {
    const last = batch[sent - 1];
    const index = last ? this.pending.indexOf(last) : -1;
    this.pending.splice(0, index + 1);
    this.counters.published += sent;
  }

  private lost(error: unknown): void {
    if (!this.outage) {
      this.outage = true;
      this.logger.warn(
        `Redis unreachable (${errorMessage(error)}): ` +
          `buffering up to ${this.config.agentBuffer} events and retrying`,
      );
    }
  }
}
