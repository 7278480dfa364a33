import fc from 'fast-check';
import { alertChange, sampleReading } from '../../test/helpers/readings.js';
import { hubRetaining } from '../../test/helpers/hubs.js';
import { SAMPLE_GROUPS } from '../hub/sample-group.js';
import { DEMO_PROJECTION } from '../hub/demo-projection.js';
import { GroupSelection } from '../hub/group-selection.js';
import { EntryRepeats } from './entry-repeats.js';
import { decodeEntries, decodeEntry, encodeEntry, type StreamEntry } from './stream-entry.codec.js';

const ALERT = alertChange({
  severity: 'critical',
  value: 97,
  threshold: 95,
  labels: { mount: '/' },
});
const SAMPLE = { id: 7, ...sampleReading() };
const entry = (kind: string, data: unknown, host = 'web-1'): string[] => [
  'kind',
  kind,
  'host',
  host,
  'data',
  typeof data === 'string' ? data : JSON.stringify(data),
];

// Every path into `value`: each property and array element, at any depth.
function pathsOf(
  value: unknown,
  prefix: Array<string | number> = [],
): Array<Array<string | number>> {
  if (typeof value !== 'object' || value === null) {
    return [];
  }
  return Object.entries(value).flatMap(([key, child]) => {
    const path = [...prefix, Array.isArray(value) ? Number(key) : key];
    return [path, ...pathsOf(child, path)];
  });
}

function replaced(value: unknown, path: Array<string | number>, by: unknown): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let parent = copy;
  path.slice(0, -1).forEach((key) => (parent = parent[key] as Record<string | number, unknown>));
  parent[path.at(-1)!] = by;
  return copy;
}

// An oracle independent of the schema classes: `value` has the shape of the valid `template`
// (null allowed anywhere; a template's null stands for a number or a string).
function conforms(template: unknown, value: unknown): boolean {
  if (value === null) {
    return true;
  }
  if (template === null) {
    return (typeof value === 'number' && Number.isFinite(value)) || typeof value === 'string';
  }
  if (Array.isArray(template)) {
    return Array.isArray(value) && value.every((element) => conforms(template[0], element));
  }
  if (typeof template === 'object') {
    if (typeof value !== 'object' || Array.isArray(value)) {
      return false;
    }
    const object = value as Record<string, unknown>;
    return Object.entries(template).every(([key, child]) =>
      key === 'id'
        ? ['number', 'string'].includes(typeof object[key])
        : key === 'labels'
          ? Object.values(object[key] as object).every((v) => typeof v === 'string')
          : conforms(child, object[key]),
    );
  }
  return typeof template === 'number'
    ? typeof value === 'number' && Number.isFinite(value)
    : typeof value === typeof template;
}

// What a hostile or broken agent might put anywhere: any JSON, and a few known troublemakers.
const HUGE = '__HUGE_NUMBER__';
const hostile = fc.oneof(
  fc.jsonValue(),
  fc.constantFrom(
    null,
    HUGE, // becomes 1e400 in the JSON text, which parses to Infinity
    '123456789012345678901234567890',
    [{ usage: 1 }],
    { usage: 1 },
    JSON.parse('{"__proto__": {"polluted": true}}') as unknown,
    JSON.parse('{"constructor": {"prototype": {"polluted": true}}}') as unknown,
    '2026-13-45T99:00:00Z',
  ),
);

describe('stream entries', () => {
  const hub = hubRetaining(10);

  it('should carry a sample through Redis as the JSON the agent serialized for its own clients', () => {
    const event = hub.publish(sampleReading());

    const fields = encodeEntry(event);
    const decoded = decodeEntry('1795524273660-0', fields);

    expect(fields).toEqual(['kind', 'sample', 'host', 'web-1', 'data', expect.any(String)]);
    expect(decoded.event).toEqual({
      eventId: '1795524273660-0',
      kind: 'sample',
      sample: event.sample,
    });
  });

  it('should carry an alert change through Redis', () => {
    const event = hub.publishAlert(ALERT);

    expect(decodeEntry('1795524273661-0', encodeEntry(event)).event).toEqual({
      eventId: '1795524273661-0',
      kind: 'alert',
      alert: ALERT,
    });
  });

  it('should read the idempotency key when the entry has one, and none when an older agent sent it', () => {
    const fields = entry('sample', SAMPLE);

    const keyed = decodeEntry('1-0', [...fields, 'run', 'r-1', 'seq', '42']);
    const older = decodeEntry('1-1', fields);

    expect(keyed.key).toEqual({ run: 'r-1', seq: 42 });
    expect(keyed.event?.kind).toBe('sample');
    expect(older.key).toBeUndefined();
    expect(older.event?.kind).toBe('sample');
  });

  it('should accept null groups and null values where the schema allows them', () => {
    const nulls = {
      ...SAMPLE,
      cpu: { ...SAMPLE.cpu, iowait: null, steal: null, load: null },
      memory: null,
      disks: null,
      processes: null,
      uptime: null,
    };

    const decoded = decodeEntry('1-0', entry('sample', nulls));

    expect(decoded.problem).toBeUndefined();
    expect(decoded.event).toMatchObject({ sample: { memory: null, cpu: { load: null } } });
  });

  it('should strip fields it does not know when a newer agent sends them, rather than pass them on', () => {
    const newer = { ...SAMPLE, gpu: [{ usage: 3 }], cpu: { ...SAMPLE.cpu, pressure: 0.2 } };

    const { event } = decodeEntry('1-0', entry('sample', newer));

    expect(event?.kind === 'sample' && event.sample).toBeTruthy();
    const json = JSON.parse(JSON.stringify(event)) as { sample: Record<string, unknown> };
    expect(json.sample.gpu).toBeUndefined();
    expect(json.sample.cpu).not.toHaveProperty('pressure');
  });

  it('should give a group an older agent does not send as null, so every group is present', () => {
    const older: Record<string, unknown> = { ...SAMPLE };
    delete older.container;

    const { event } = decodeEntry('1-0', entry('sample', older));

    expect(event?.kind === 'sample' && event.sample.container).toBeNull();
  });

  it('should reject, naming the first problem, when an entry is not a valid vitals event', () => {
    const cases: Array<[string[], RegExp]> = [
      [[], /kind/],
      [['kind', 'sample', 'host', 'web-1'], /data/],
      [entry('sample', '{not json'), /data: not a JSON object/],
      [entry('sample', '[1,2]'), /data: not a JSON object/],
      [entry('sample', SAMPLE, 'web-2'), /host/],
      [entry('sample', { host: 'web-1', timestamp: SAMPLE.timestamp }), /data\.id/],
      [entry('sample', { ...SAMPLE, cpu: [SAMPLE.cpu] }), /data\.cpu/],
      [entry('sample', { ...SAMPLE, cpu: { ...SAMPLE.cpu, usage: '30' } }), /data\.cpu\.usage/],
      [
        entry('sample', JSON.stringify(SAMPLE).replace('"uptime":3600', '"uptime":1e400')),
        /uptime/,
      ],
      [entry('sample', { ...SAMPLE, timestamp: 'now' }), /data\.timestamp/],
      [entry('sample', { ...SAMPLE, disks: [[SAMPLE.disks[0]]] }), /data\.disks/],
      [entry('alert', SAMPLE), /data\.rule/],
      [entry('alert', { ...ALERT, severity: 'fatal' }), /data\.severity/],
      [entry('alert', { ...ALERT, labels: { mount: 1 } }), /data\.labels/],
      [entry('other', SAMPLE), /kind/],
      [[...entry('sample', SAMPLE), 'run', 'r', 'seq', '-1'], /seq/],
      [['odd'], /kind/],
    ];

    for (const [fields, problem] of cases) {
      const decoded = decodeEntry('1-0', fields);

      expect(decoded.event).toBeUndefined();
      expect(decoded.problem).toMatch(problem);
    }
  });

  it('should leave out an entry whose idempotency key was seen when an agent re-sends it', () => {
    const keyed = (id: string, seq: number): StreamEntry => [
      id,
      [...entry('sample', SAMPLE), 'run', 'r-1', 'seq', String(seq)],
    ];
    const repeats = new EntryRepeats();

    const first = decodeEntries([keyed('1-0', 1), keyed('1-1', 2)], repeats);
    const retry = decodeEntries(
      [keyed('2-0', 2), keyed('2-1', 3), ['2-2', entry('sample', SAMPLE)]],
      repeats,
    );

    expect(first).toMatchObject({ repeated: 0, rejected: [] });
    expect(retry.repeated).toBe(1);
    expect(retry.events.map((event) => event.eventId)).toEqual(['2-1', '2-2']);
  });

  it('should accept or reject (and count) any JSON anywhere in an entry, never throw, and give only samples every projection can serialize', () => {
    const mutated = fc
      .constantFrom<[string, unknown]>(['sample', SAMPLE], ['alert', ALERT])
      .chain(([kind, valid]) =>
        fc
          .tuple(fc.constant(kind), fc.constantFrom(...pathsOf(valid)), hostile)
          .map(([k, path, by]) => [k, replaced(valid, path, by)] as const),
      );
    const anything = fc.tuple(fc.constantFrom('sample', 'alert'), fc.jsonValue());
    const selections = fc.subarray([...SAMPLE_GROUPS]).map((groups) => GroupSelection.of(groups));

    fc.assert(
      fc.property(fc.oneof(mutated, anything), selections, ([kind, data], selection) => {
        const json = JSON.stringify(data)?.replace(`"${HUGE}"`, '1e400') ?? 'undefined';

        const decoded = decodeEntries([['1-0', entry(kind, json)]]);

        expect(decoded.events.length + decoded.rejected.length).toBe(1);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        const [event] = decoded.events;
        if (event) {
          const valid = event.kind === 'sample' ? event.sample : event.alert;
          expect(conforms(event.kind === 'sample' ? SAMPLE : ALERT, valid)).toBe(true);
        }
        if (event?.kind === 'sample') {
          for (const projection of [GroupSelection.ALL, selection, DEMO_PROJECTION]) {
            expect(() => JSON.stringify(projection.project(event.sample))).not.toThrow();
          }
        }
      }),
      { numRuns: 2000 },
    );
  });
});
