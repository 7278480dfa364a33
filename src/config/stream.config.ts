import { registerAs } from '@nestjs/config';
import { parseDuration } from '../common/duration.js';
import { loadEnvironment } from './validate-environment.js';

export const streamConfig = registerAs('stream', () => {
  const env = loadEnvironment();
  return {
    heartbeatMs: env.VITALS_HEARTBEAT_MS,
    /** Events retained for resume and history. */
    history: env.VITALS_HISTORY,
    maxSubscribers: env.VITALS_MAX_SUBSCRIBERS,
    /** Open streams per client address; 0: no cap. */
    maxStreamsPerIp: env.VITALS_MAX_STREAMS_PER_IP,
    /** Unsent data a subscriber may fall behind by before it is disconnected. */
    clientBufferBytes: env.VITALS_CLIENT_BUFFER_BYTES,
    /** Event ids come from Redis (a gateway) rather than from this process's own sequence. */
    remoteIds: env.VITALS_MODE === 'gateway',
    /** A host silent longer than this is forgotten (validated: a duration). */
    hostTtlMs: parseDuration(env.VITALS_HOST_TTL) ?? 86_400_000,
    /** The sampling tick: a host whose own cadence is not known yet is stale after three. */
    intervalMs: env.VITALS_INTERVAL_MS,
  };
});
