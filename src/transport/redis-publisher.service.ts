import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Redis } from 'ioredis';
import type { Subscription } from 'rxjs';
import type { AlertChange } from '../hub/alert-change.js';
import { samplerConfig } from '../config/sampler.config.js';
import { transportConfig } from '../config/transport.config.js';
import { AlertEvent } from '../hub/alert-event.js';
import type { HubEvent } from '../hub/hub-event.js';
import { SampleHubService } from '../hub/sample-hub.service.js';
import { ADD_ALERT_SCRIPT, alertsKey, parseAlertState } from './alert-state.js';
import { createRedisClient } from './redis-client.factory.js';
import { encodeEntry } from './stream-entry.codec.js';
import type { TransportHealth } from './transport-health.js';

// Entries sent in one pipeline: a backlog after an outage drains in a few round trips.
const BATCH = 200;
// How long shutdown waits for buffered entries to reach Redis.
const SHUTDOWN_FLUSH_MS = 1000;

/** An entry waiting for Redis; an alert also updates the hash of active alerts. */
interface Pending {
  fields: string[];
  alertKey?: string;
}

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
  private client: Redis | undefined;
  private subscription: Subscription | undefined;
  private readonly pending: Pending[] = [];
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
    @Inject(transportConfig.KEY) private readonly config: ConfigType<typeof transportConfig>,
    @Inject(samplerConfig.KEY) private readonly sampler: ConfigType<typeof samplerConfig>,
  ) {}

  get stats(): PublisherStats {
    return { ...this.counters, buffered: this.pending.length };
  }

  // Subscribed before any module's bootstrap, so the first sample is published too.
  onModuleInit(): void {
    if (!this.config.redisUrl) {
      return;
    }
    const client = createRedisClient(this.config.redisUrl, 'vitals-agent');
    client.on('ready', () => {
      if (this.outage) {
        this.logger.log(`Redis is back: sending ${this.pending.length} buffered events`);
      }
      this.outage = false;
      void this.reconcile().finally(() => void this.flush());
    });
    client.on('error', (error: Error) => this.lost(error));
    this.client = client;
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
    if (this.client?.status === 'ready') {
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
    this.client?.disconnect();
  }

  // Waits for the flush under way, then sends what is left.
  private async drain(): Promise<void> {
    await this.flushing;
    await this.flush();
  }

  health(): TransportHealth {
    const connected = this.client?.status === 'ready';
    return {
      // An agent serves its own host whether or not Redis is there: never unready for it.
      ready: true,
      details: { mode: 'agent', redis: connected ? 'connected' : 'unreachable', ...this.stats },
    };
  }

  private pendingOf(event: HubEvent): Pending {
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
    if (this.reconciled || !this.client) {
      return;
    }
    try {
      const states = await this.client.hgetall(alertsKey(this.config.stream));
      this.reconciled = true;
      const now = new Date().toISOString();
      for (const [key, value] of Object.entries(states)) {
        const state = parseAlertState(value);
        if (!state || state.alert.host !== this.sampler.hostName || this.raised.has(key)) {
          continue;
        }
        const resolved: AlertChange = {
          ...state.alert,
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

  private enqueue(entry: Pending): void {
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
    const client = this.client;
    if (this.flushing || !client || client.status !== 'ready') {
      return Promise.resolve();
    }
    this.flushing = this.send(client).finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async send(client: Redis): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.slice(0, BATCH);
        const pipeline = client.pipeline();
        for (const { fields, alertKey: key } of batch) {
          if (key === undefined) {
            pipeline.xadd(this.config.stream, 'MAXLEN', '~', this.config.maxLength, '*', ...fields);
          } else {
            // The entry and the hash of active alerts change together, atomically.
            pipeline.eval(
              ADD_ALERT_SCRIPT,
              2,
              this.config.stream,
              alertsKey(this.config.stream),
              this.config.maxLength,
              key,
              ...fields,
            );
          }
        }
        const results = (await pipeline.exec()) ?? [];
        // Entries are appended in order: drop from the buffer the ones Redis took, keep the rest.
        let sent = 0;
        while (sent < results.length && results[sent]?.[0] === null) {
          sent++;
        }
        this.removeSent(batch, sent);
        if (sent < batch.length) {
          const error = results[sent]?.[0];
          throw error instanceof Error ? error : new Error('the pipeline was cut short');
        }
      }
    } catch (error) {
      this.lost(error);
    }
  }

  // The buffer may have dropped its oldest entries while the batch was in flight.
  private removeSent(batch: Pending[], sent: number): void {
    const last = batch[sent - 1];
    const index = last ? this.pending.indexOf(last) : -1;
    this.pending.splice(0, index + 1);
    this.counters.published += sent;
  }

  private lost(error: unknown): void {
    if (!this.outage) {
      this.outage = true;
      this.logger.warn(
        `Redis unreachable (${error instanceof Error ? error.message : String(error)}): ` +
          `buffering up to ${this.config.agentBuffer} events and retrying`,
      );
    }
  }
}
