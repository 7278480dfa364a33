import type { AlertChange } from '../alerts/alert-rule.js';
import type { Sample } from '../metrics/sample.js';
import { GroupSelection } from '../stream/group-selection.js';
import type { HubEvent } from '../stream/hub-event.js';
import type { RemoteEvent } from '../stream/sample-hub.service.js';

/**
 * The fields of one Redis Stream entry: what kind of event, whose, and its JSON. The JSON is the
 * frame the agent serialized for its own subscribers, sent as it is; the gateway replaces its
 * `id` with the entry's.
 */
export function encodeEntry(event: HubEvent): string[] {
  return ['kind', event.kind, 'host', event.host, 'data', event.frame(GroupSelection.ALL).data];
}

/** An entry as XRANGE and XREAD give it. */
export type StreamEntry = [id: string, fields: string[]];

/** The events among `entries`, and how many entries were not ones. */
export function decodeEntries(entries: readonly StreamEntry[]): {
  events: RemoteEvent[];
  skipped: number;
} {
  const events: RemoteEvent[] = [];
  for (const [id, fields] of entries) {
    const event = decodeEntry(id, fields);
    if (event) {
      events.push(event);
    }
  }
  return { events, skipped: entries.length - events.length };
}

/** The event in an entry's fields; undefined for an entry that is not one of ours. */
export function decodeEntry(eventId: string, fields: readonly string[]): RemoteEvent | undefined {
  const values = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) {
    values.set(fields[i]!, fields[i + 1]!);
  }
  const kind = values.get('kind');
  const data = parse(values.get('data'));
  if (!data || typeof data.host !== 'string' || data.host !== values.get('host')) {
    return undefined;
  }
  if (kind === 'sample' && typeof data.timestamp === 'string') {
    return { eventId, kind, sample: data as unknown as Sample };
  }
  if (kind === 'alert' && typeof data.rule === 'string' && typeof data.severity === 'string') {
    return { eventId, kind, alert: data as unknown as AlertChange };
  }
  return undefined;
}

function parse(json: string | undefined): Record<string, unknown> | undefined {
  if (json === undefined) {
    return undefined;
  }
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
