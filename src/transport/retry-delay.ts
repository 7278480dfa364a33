// Reconnection delays: doubling from 100 ms, at most 5 s between attempts, forever.
const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 5000;

/**
 * The delay before reconnection attempt `attempt` (1, 2, ...): the schedule a Redis connection
 * reconnects on, and the one a gateway's feed backs off on between failed reads.
 */
export function retryDelayMs(attempt: number): number {
  return Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.min(attempt - 1, 16));
}
