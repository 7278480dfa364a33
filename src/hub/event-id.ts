/**
 * Event ids as clients see them. A standalone process numbers its own events (`1795524273660`);
 * a gateway passes on Redis Stream entry ids (`1795524273660-0`: milliseconds and a sequence).
 * Both are ordered, and both travel as text in `id:` lines and Last-Event-ID.
 */
export type EventIdValue = number | string;

const FORMAT = /^(\d{1,15})(?:-(\d{1,20}))?$/;
// The largest sequence part Redis accepts: what comes just before `<ms>-0` is `<ms-1>-<this>`.
const MAX_SEQUENCE = '18446744073709551615';

/** A parsed id, comparable whatever its form. */
export interface EventId {
  readonly text: string;
  readonly ms: number;
  readonly seq: bigint;
}

/** Parses a client's id; undefined when it is not an event id of either form. */
export function parseEventId(text: string): EventId | undefined {
  const match = FORMAT.exec(text);
  if (!match) {
    return undefined;
  }
  const seq = BigInt(match[2] ?? 0);
  return seq > BigInt(MAX_SEQUENCE) ? undefined : { text, ms: Number(match[1]), seq };
}

/** Negative, zero or positive as `a` is before, equal to or after `b`. */
export function compareEventIds(a: EventId, b: EventId): number {
  return a.ms !== b.ms ? a.ms - b.ms : a.seq === b.seq ? 0 : a.seq < b.seq ? -1 : 1;
}

/** The id just before `id`, so a client resuming from it gets `id` next. */
export function previousEventId(id: string): string {
  const parsed = parseEventId(id);
  if (!parsed || !id.includes('-')) {
    return String(Number(id) - 1);
  }
  return parsed.seq > 0n ? `${parsed.ms}-${parsed.seq - 1n}` : `${parsed.ms - 1}-${MAX_SEQUENCE}`;
}

/** How an id appears in JSON: a number when it is one, as standalone ids always were. */
export function eventIdValue(id: string): EventIdValue {
  return /^\d+$/.test(id) ? Number(id) : id;
}
