import { registerAs } from '@nestjs/config';
import { loadEnvironment } from './validate-environment.js';

export const transportConfig = registerAs('transport', () => {
  const env = loadEnvironment();
  return {
    mode: env.VITALS_MODE,
    redisUrl: env.VITALS_REDIS_URL,
    /** The one Redis Stream every agent appends to and every gateway reads. */
    stream: env.VITALS_REDIS_STREAM,
    /** Entries kept in the stream (approximately: MAXLEN ~). */
    maxLength: env.VITALS_REDIS_MAXLEN,
    /** Events an agent keeps while Redis is unreachable. */
    agentBuffer: env.VITALS_AGENT_BUFFER,
  };
});
