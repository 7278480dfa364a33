import { type ClassConstructor, plainToInstance } from 'class-transformer';
import { type ValidationError, type ValidatorOptions, validateSync } from 'class-validator';
import { AlertDto } from '../hub/dto/alert.dto.js';
import { SampleDto } from '../hub/dto/sample.dto.js';
import { SAMPLE_GROUPS } from '../hub/sample-group.js';
import type { Sample } from '../hub/sample.js';
import { GroupSelection } from '../hub/group-selection.js';
import type { HubEvent } from '../hub/hub-event.js';
import type { RemoteEvent } from '../hub/sample-hub.service.js';
import type { EntryRepeats } from './entry-repeats.js';
import { StreamEntryFields } from './stream-entry-fields.js';
import { errorMessage } from '../common/error-message.js';

/**
 * The fields of one Redis Stream entry: what kind of event, whose, and its JSON. The JSON is the
 * frame the agent serialized for its own subscribers, sent as it is; the gateway replaces its
 * `id` with the entry's. The agent adds its idempotency key (`run`, `seq`) when it queues it.
 */
export function encodeEntry(event: HubEvent): string[] {
  return ['kind', event.kind, 'host', event.host, 'data', event.frame(GroupSelection.ALL).data];
}

/** An entry as XRANGE and XREAD give it. */
export type StreamEntry = [id: string, fields: string[]];

/** An agent's idempotency key of an entry: its run (process start) and the entry's number. */
export interface EntryKey {
  run: string;
  seq: number;
}

/** An entry read: the event it carries, or the first thing wrong with it. */
export type DecodedEntry =
  | { event: RemoteEvent; key: EntryKey | undefined; problem?: undefined }
  | { event?: undefined; key: EntryKey | undefined; problem: string };

/** An entry that is not a valid vitals event. */
export interface RejectedEntry {
  id: string;
  problem: string;
}

/** What a batch of entries holds. */
export interface DecodedEntries {
  /** The valid events, in order, repeats left out. */
  events: RemoteEvent[];
  rejected: RejectedEntry[];
  /** Entries left out as an agent's re-send of one seen before. */
  repeated: number;
}

// Unknown fields (a newer agent's) are stripped, not passed on; what is not an instance of a
// schema class at all is refused.
const VALIDATION: ValidatorOptions = {
  whitelist: true,
  forbidUnknownValues: true,
  stopAtFirstError: true,
};

/**
 * The events among `entries`, each checked against the sample or alert schema (the DTOs that
 * document them in OpenAPI). With `repeats`, entries whose idempotency key was seen before are
 * left out.
 */
export function decodeEntries(
  entries: readonly StreamEntry[],
  repeats?: EntryRepeats,
): DecodedEntries {
  const decoded: DecodedEntries = { events: [], rejected: [], repeated: 0 };
  for (const [id, fields] of entries) {
    const entry = decodeEntry(id, fields);
    if (entry.key && repeats?.repeats(entry.key.run, entry.key.seq)) {
      decoded.repeated++;
    } else if (entry.event) {
      decoded.events.push(entry.event);
    } else {
      decoded.rejected.push({ id, problem: entry.problem });
    }
  }
  return decoded;
}

/** An entry's idempotency key, without reading its event; undefined when it has none. */
export function entryKey(fields: readonly string[]): EntryKey | undefined {
  const envelope = checked(StreamEntryFields, fieldsOf(fields));
  return typeof envelope === 'string' ? undefined : keyOf(envelope);
}

/** The event in an entry's fields, or what is wrong with them. Never throws. */
export function decodeEntry(eventId: string, fields: readonly string[]): DecodedEntry {
  const envelope = checked(StreamEntryFields, fieldsOf(fields));
  if (typeof envelope === 'string') {
    return { key: undefined, problem: envelope };
  }
  const { kind, host, data } = envelope;
  const key = keyOf(envelope);
  const json = parse(data);
  if (json === undefined) {
    return { key, problem: 'data: not a JSON object' };
  }
  const event = checked<SampleDto | AlertDto>(kind === 'sample' ? SampleDto : AlertDto, json);
  if (typeof event === 'string') {
    return { key, problem: `data.${event}` };
  }
  if (event.host !== host) {
    return { key, problem: `data.host: ${event.host} is not the entry's host ${host}` };
  }
  if (event instanceof AlertDto) {
    return { key, event: { eventId, kind: 'alert', alert: event } };
  }
  // Every group is there, as the contract has it: one an older agent does not send is null.
  for (const group of SAMPLE_GROUPS) {
    event[group] ??= null;
  }
  return { key, event: { eventId, kind: 'sample', sample: event as Sample } };
}

// Entries of older agents have none.
const keyOf = ({ run, seq }: StreamEntryFields): EntryKey | undefined =>
  run !== undefined && seq !== undefined ? { run, seq: Number(seq) } : undefined;

// The first occurrence of each field the gateway reads, as an object.
function fieldsOf(fields: readonly string[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const name = fields[i]!;
    if (StreamEntryFields.NAMES.has(name) && !(name in values)) {
      values[name] = fields[i + 1]!;
    }
  }
  return values;
}

// `plain` as an instance of `schema`, unknown properties stripped; or its first problem.
function checked<T extends object>(schema: ClassConstructor<T>, plain: object): T | string {
  try {
    const instance = plainToInstance(schema, plain);
    const errors = validateSync(instance, VALIDATION);
    return errors.length === 0 ? instance : firstProblem(errors);
  } catch (error) {
    // Not expected from either library; an entry must not stop the feed all the same.
    return `unreadable (${errorMessage(error)})`;
  }
}

function firstProblem(errors: readonly ValidationError[], path = ''): string {
  const error = errors[0]!;
  const at = path ? `${path}.${error.property}` : error.property;
  const message = Object.values(error.constraints ?? {})[0];
  if (message !== undefined || !error.children?.length) {
    return `${at}: ${message ?? 'invalid'}`;
  }
  return firstProblem(error.children, at);
}

function parse(json: string): object | undefined {
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
