import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { retryDelayMs } from './retry-delay.js';

/** A reply later than this means a dead connection (a blocking read adds its own wait). */
export const COMMAND_TIMEOUT_MS = 5000;

/**
 * A Redis connection that reconnects on its own, with backoff, and never queues: while Redis is
 * away a command fails at once, and the caller (which keeps its own bounded buffer or position)
 * decides what to do. RedisStreamRepository is its only user.
 */
export function createRedisClient(
  url: string,
  name: string,
  commandTimeout = COMMAND_TIMEOUT_MS,
): Redis {
  return new Redis(url, {
    connectionName: name,
    commandTimeout,
    retryStrategy: retryDelayMs,
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 5000,
  });
}

// How long a command waits for a connection that is being made.
const READY_WAIT_MS = 1000;

/**
 * Gives a connection that is being made up to a second before the next command, which would
 * otherwise fail at once (there is no offline queue) and report an outage that is not one.
 */
export async function whenReady(client: Redis, signal: AbortSignal): Promise<void> {
  if (client.status === 'ready') {
    return;
  }
  await Promise.race([
    once(client, 'ready', { signal }),
    sleep(READY_WAIT_MS, undefined, { signal }),
  ]).catch(() => undefined);
}
