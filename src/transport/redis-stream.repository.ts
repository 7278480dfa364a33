import { Inject, Injectable, Scope } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Redis } from 'ioredis';
import { transportConfig } from '../config/transport.config.js';
import type { AlertChange } from '../hub/alert-change.js';
import { ADD_ALERT_SCRIPT, alertsKey, parseAlertState } from './alert-state.js';
import { COMMAND_TIMEOUT_MS, createRedisClient, whenReady } from './redis-client.factory.js';
import type { StreamEntry } from './stream-entry.codec.js';
import { type StreamTrimInfo, trimmedUntil } from './stream-trim.js';

// One blocking read waits this long for new entries before it is issued again.
const BLOCK_MS = 5000;

// The lease of delivering alerts: taken when free, kept (its expiry pushed back) by its holder.
const HOLD_LEASE = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0`;
const RELEASE_LEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** How a connection is opened. */
export interface RedisConnectOptions {
  /** For `readNew` (XREAD BLOCK): a blocked connection serves nothing else meanwhile. */
  blocking?: boolean;
  /** Each time the connection is (again) ready for commands. */
  onReady?: () => void;
  /** Each connection failure (commands report their own failures as well). */
  onError?: (error: Error) => void;
}

/** An entry to append: its fields, and for an alert its key in the hash of active alerts. */
export interface StreamAppend {
  fields: string[];
  alertKey?: string;
}

/** How much of a batch Redis appended: the first `appended` entries, and why not the next. */
export interface AppendResult {
  appended: number;
  error?: Error;
}

/** An alert active on some agent's host, as the hash beside the stream keeps it. */
export interface ActiveAlert {
  /** Its field in the hash: the alert's key. */
  key: string;
  /** The id of the entry of its latest change. */
  eventId: string;
  alert: AlertChange;
}

/**
 * Redis, for vitals: the one Redis Stream every agent appends to and every gateway reads
 * (VITALS_REDIS_STREAM, kept to about VITALS_REDIS_MAXLEN entries), and the hash of active
 * alerts beside it. Every Redis command vitals sends is here; the services keep the logic.
 *
 * An instance is one connection, and every consumer gets an instance of its own (transient
 * scope): a gateway's feed blocks its connection in XREAD, which then serves nothing else, and
 * each consumer opens and closes its connection at its own point of the lifecycle (an agent
 * sends what it buffered after the HTTP server has closed; a gateway stops reading before).
 */
@Injectable({ scope: Scope.TRANSIENT })
export class RedisStreamRepository {
  private client: Redis | undefined;
  private blocking = false;

  constructor(
    @Inject(transportConfig.KEY) private readonly config: ConfigType<typeof transportConfig>,
  ) {}

  /**
   * Opens the connection, named `name` in CLIENT LIST; false when no Redis is configured. It
   * reconnects on its own, with backoff, and never queues: while Redis is away commands fail.
   */
  connect(name: string, options: RedisConnectOptions = {}): boolean {
    if (!this.config.redisUrl) {
      return false;
    }
    this.client?.disconnect();
    this.blocking = options.blocking ?? false;
    const timeout = this.blocking ? BLOCK_MS + COMMAND_TIMEOUT_MS : COMMAND_TIMEOUT_MS;
    const client = createRedisClient(this.config.redisUrl, name, timeout);
    // Failures surface where the commands are sent; a listener keeps ioredis from logging them.
    client.on('error', options.onError ?? (() => undefined));
    if (options.onReady) {
      client.on('ready', options.onReady);
    }
    this.client = client;
    return true;
  }

  disconnect(): void {
    this.client?.disconnect();
  }

  /**
   * Takes or keeps the lease `key` for `owner` for `ttlMs`: `SET NX PX` when nobody holds it,
   * `PEXPIRE` when `owner` does (atomically, by script). True when `owner` holds it after.
   */
  async holdLease(key: string, owner: string, ttlMs: number): Promise<boolean> {
    const reply = await this.connection.eval(HOLD_LEASE, 1, key, owner, String(ttlMs));
    return reply === 1;
  }

  /** Gives the lease `key` up if `owner` holds it, so another replica need not wait it out. */
  async releaseLease(key: string, owner: string): Promise<void> {
    await this.connection.eval(RELEASE_LEASE, 1, key, owner);
  }

  /** Whether a command sent now would reach Redis. */
  get ready(): boolean {
    return this.client?.status === 'ready';
  }

  /** Waits up to a second for a connection that is being made (cut short by `signal`). */
  async whenReady(signal: AbortSignal): Promise<void> {
    await whenReady(this.connection, signal);
  }

  /**
   * Appends `entries`, in order, in one round trip: `XADD ... MAXLEN ~`, or for an alert the
   * script that also updates the hash of active alerts, atomically. Throws when no reply came.
   */
  async append(entries: readonly StreamAppend[]): Promise<AppendResult> {
    const { stream, maxLength } = this.config;
    const pipeline = this.connection.pipeline();
    for (const { fields, alertKey } of entries) {
      if (alertKey === undefined) {
        pipeline.xadd(stream, 'MAXLEN', '~', maxLength, '*', ...fields);
      } else {
        pipeline.eval(
          ADD_ALERT_SCRIPT,
          2,
          stream,
          alertsKey(stream),
          maxLength,
          alertKey,
          ...fields,
        );
      }
    }
    const results = (await pipeline.exec()) ?? [];
    let appended = 0;
    while (appended < results.length && results[appended]?.[0] === null) {
      appended++;
    }
    if (appended === entries.length) {
      return { appended };
    }
    const error = results[appended]?.[0];
    return {
      appended,
      error: error instanceof Error ? error : new Error('the pipeline was cut short'),
    };
  }

  /** The alerts active on every agent's host (`HGETALL`); values that are not one are left out. */
  async activeAlerts(): Promise<ActiveAlert[]> {
    const states = await this.connection.hgetall(alertsKey(this.config.stream));
    return Object.entries(states).flatMap(([key, value]) => {
      const state = parseAlertState(value);
      return state ? [{ key, ...state }] : [];
    });
  }

  /**
   * Up to `count` entries after `afterId`, waiting (`XREAD BLOCK`) up to 5 s for the first; none
   * if none came. Only on a connection opened `blocking`.
   */
  async readNew(afterId: string, count: number): Promise<StreamEntry[]> {
    if (!this.blocking) {
      throw new Error('XREAD BLOCK needs a connection of its own: connect it with blocking');
    }
    const reply = await this.connection.xread(
      'COUNT',
      count,
      'BLOCK',
      BLOCK_MS,
      'STREAMS',
      this.config.stream,
      afterId,
    );
    return reply?.[0]?.[1] ?? [];
  }

  /** The newest `count` entries (`XREVRANGE`), oldest first. */
  async newest(count: number): Promise<StreamEntry[]> {
    const newestFirst = await this.connection.xrevrange(
      this.config.stream,
      '+',
      '-',
      'COUNT',
      count,
    );
    return newestFirst.reverse();
  }

  /** Up to `count` entries after `afterId` and before `beforeId` (or the end): `XRANGE`. */
  async range(
    afterId: string,
    beforeId: string | undefined,
    count: number,
  ): Promise<StreamEntry[]> {
    const end = beforeId === undefined ? '+' : `(${beforeId}`;
    return this.connection.xrange(this.config.stream, `(${afterId}`, end, 'COUNT', count);
  }

  /** The `count` entries up to `id`, itself included (`XREVRANGE`), oldest first. */
  async upTo(id: string, count: number): Promise<StreamEntry[]> {
    const newestFirst = await this.connection.xrevrange(
      this.config.stream,
      id,
      '-',
      'COUNT',
      count,
    );
    return newestFirst.reverse();
  }

  /**
   * The id of the oldest entry left when trimming may have taken entries after `afterId`
   * (`XINFO STREAM`); undefined when it cannot have, or there is no stream yet.
   */
  async trimmedAfter(afterId: string): Promise<string | undefined> {
    return trimmedUntil(await this.trimInfo(), afterId);
  }

  private async trimInfo(): Promise<StreamTrimInfo | undefined> {
    let info: unknown[];
    try {
      info = (await this.connection.xinfo('STREAM', this.config.stream)) as unknown[];
    } catch (error) {
      if (error instanceof Error && /no such key/i.test(error.message)) {
        return undefined;
      }
      throw error;
    }
    const field = (name: string): unknown => info[info.indexOf(name) + 1];
    const added = field('entries-added');
    return {
      firstId: (field('first-entry') as StreamEntry | null)?.[0],
      length: Number(field('length')),
      entriesAdded: typeof added === 'number' ? added : undefined,
    };
  }

  private get connection(): Redis {
    if (!this.client) {
      throw new Error('Redis is not connected: no VITALS_REDIS_URL, or connect() was not called');
    }
    return this.client;
  }
}
