import type { AlertChange } from '../hub/alert-change.js';
import { decodeEntry } from './stream-entry.codec.js';

/**
 * The hash, next to the stream, of the alerts active on every agent's host: field = the alert's
 * key, value = `<entry id> <alert JSON>` of its latest change. A gateway that starts after an
 * alert was raised (its entry long behind) still knows the alert is active.
 */
export const alertsKey = (stream: string): string => `${stream}:alerts`;

/**
 * XADDs an alert entry and updates the hash in one step. KEYS: stream, hash. ARGV: MAXLEN, the
 * alert's key, then the entry's fields (kind, alert, host, <host>, data, <json>, run, <run>,
 * seq, <seq>): the JSON is ARGV[8].
 */
export const ADD_ALERT_SCRIPT = `
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', unpack(ARGV, 3))
if cjson.decode(ARGV[8]).severity == 'resolved' then
  redis.call('HDEL', KEYS[2], ARGV[2])
else
  redis.call('HSET', KEYS[2], ARGV[2], id .. ' ' .. ARGV[8])
end
return id
`;

/** A hash value as the alert change and the id of its entry; undefined if it is not one. */
export function parseAlertState(
  value: string,
): { eventId: string; alert: AlertChange } | undefined {
  const space = value.indexOf(' ');
  const eventId = value.slice(0, space);
  const json = value.slice(space + 1);
  let host: unknown;
  try {
    host = (JSON.parse(json) as { host?: unknown }).host;
  } catch {
    return undefined;
  }
  const event =
    space > 0 && typeof host === 'string'
      ? decodeEntry(eventId, ['kind', 'alert', 'host', host, 'data', json]).event
      : undefined;
  return event?.kind === 'alert' ? { eventId, alert: event.alert } : undefined;
}
