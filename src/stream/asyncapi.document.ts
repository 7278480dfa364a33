import type { OpenAPIObject } from '@nestjs/swagger';
import { SAMPLE_GROUPS } from '../hub/sample-group.js';
import { RETRY_MS } from './sample-stream.service.js';

type Schema = Record<string, unknown>;

// OpenAPI 3.0 says `nullable: true`; AsyncAPI schemas are JSON Schema, which says
// `type: [T, "null"]`. Refs keep working: both keep schemas under #/components/schemas.
function toJsonSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) {
    return schema.map(toJsonSchema);
  }
  if (schema === null || typeof schema !== 'object') {
    return schema;
  }
  const { nullable, ...rest } = schema as Schema;
  const converted = Object.fromEntries(
    Object.entries(rest).map(([key, value]) => [key, toJsonSchema(value)]),
  );
  if (nullable === true && typeof converted.type === 'string') {
    converted.type = [converted.type, 'null'];
  }
  return converted;
}

const id = {
  oneOf: [
    { type: 'integer', minimum: 0 },
    { type: 'string', pattern: '^\\d+-\\d+$' },
  ],
  description:
    'An event id of the stream sequence: an integer, or on a gateway a Redis Stream id ' +
    '(`1795524273660-0`)',
};

const SCHEMAS: Record<string, Schema> = {
  Meta: {
    type: 'object',
    description: 'The first frame of every stream: the effective settings of this connection.',
    required: [
      'host',
      'intervalMs',
      'every',
      'heartbeatMs',
      'groups',
      'replay',
      'alerts',
      'retained',
    ],
    properties: {
      host: { type: 'string' },
      intervalMs: { type: 'integer', description: 'The sampling tick' },
      every: { type: 'integer', description: 'Milliseconds between samples on this stream' },
      heartbeatMs: { type: 'integer', description: 'Idle time before a `: ping` comment' },
      groups: { type: 'array', items: { type: 'string', enum: [...SAMPLE_GROUPS] } },
      hosts: {
        type: ['array', 'null'],
        items: { type: 'string' },
        description: 'The hosts `host=` selected; null: every host',
      },
      replay: { type: 'boolean', description: 'Whether missed events are replayed' },
      alerts: { type: 'boolean', description: 'Whether alert events come on this stream' },
      retained: {
        type: ['object', 'null'],
        description: 'The ids the server holds for resume; null before the first sample',
        required: ['oldest', 'newest'],
        properties: { oldest: id, newest: id },
      },
    },
  },
  Gap: {
    type: 'object',
    description:
      'Events from `from` (exclusive) to `to` (exclusive) are lost; the stream continues at `to`. ' +
      'Sent before a replay when events after the requested id are no longer retained, and on a ' +
      'gateway to every live stream (whatever its host=, groups= or alerts=) when Redis trimmed ' +
      'entries while the gateway could not read: its id is the one just before `to`.',
    required: ['from', 'to'],
    properties: {
      from: { ...id, oneOf: [...id.oneOf, { type: 'null' }] },
      to: { ...id, oneOf: [...id.oneOf, { type: 'null' }] },
    },
  },
  Hosts: {
    type: 'object',
    description:
      'The hosts as GET /api/v1/hosts lists them, sent when a host appears, goes stale, comes ' +
      'back or is forgotten (VITALS_HOST_TTL).',
    required: ['hosts'],
    properties: { hosts: { type: 'array', items: { $ref: '#/components/schemas/HostDto' } } },
  },
  Demo: {
    type: 'object',
    description: 'The original demo payload, in percent.',
    required: ['cpu', 'ram'],
    properties: { cpu: { type: 'number' }, ram: { type: 'number' } },
  },
};

const QUERY: Schema = {
  type: 'object',
  properties: {
    groups: {
      type: 'string',
      description: `Comma-separated subset of ${SAMPLE_GROUPS.join(', ')}; all when absent`,
    },
    every: {
      type: 'integer',
      description: 'Milliseconds between samples, a multiple of the interval',
    },
    replay: { type: 'boolean', default: true, description: 'false: live events only' },
    alerts: {
      type: 'boolean',
      default: true,
      description: 'false: no alert events (groups= never filters them out)',
    },
    lastEventId: {
      type: 'string',
      description: 'Resume after this id (the Last-Event-ID header wins when both are given)',
    },
    host: {
      type: 'string',
      description: 'Only these hosts (repeatable or comma-separated); every host when absent',
    },
  },
};

/** `root` and every schema it references, directly or not, converted to JSON Schema. */
function referencedSchemas(openapi: OpenAPIObject, root: string): Record<string, unknown> {
  const all = openapi.components?.schemas ?? {};
  const found: Record<string, unknown> = {};
  const visit = (name: string): void => {
    if (name in found || !(name in all)) {
      return;
    }
    found[name] = toJsonSchema(all[name]);
    for (const [, ref] of JSON.stringify(all[name]).matchAll(/"#\/components\/schemas\/(\w+)"/g)) {
      visit(ref!);
    }
  };
  visit(root);
  return found;
}

/**
 * The AsyncAPI 3 document of the event streams, with the sample schemas taken from the OpenAPI
 * document so the two never disagree.
 */
export function buildAsyncApiDocument(openapi: OpenAPIObject): Record<string, unknown> {
  const sampleSchemas = referencedSchemas(openapi, 'SampleDto');
  const alertSchemas = referencedSchemas(openapi, 'AlertDto');
  const hostSchemas = referencedSchemas(openapi, 'HostDto');
  const message = (name: string, title: string, summary: string, schema: string) => ({
    name,
    title,
    summary,
    payload: { $ref: `#/components/schemas/${schema}` },
  });
  return {
    asyncapi: '3.1.0',
    info: {
      title: 'vitals event streams',
      version: openapi.info.version,
      description:
        'Server-Sent Events from vitals. Every event frame has `event:` (its name, below), ' +
        '`id:` (the stream sequence: strictly increasing, resumable with Last-Event-ID; not on ' +
        '`hosts`, which is state) and one ' +
        `\`data:\` line of JSON. The meta frame also carries \`retry: ${RETRY_MS}\`. A \`: ping\` ` +
        'comment is sent after VITALS_HEARTBEAT_MS without other frames.',
    },
    defaultContentType: 'application/json',
    servers: {
      local: {
        host: '127.0.0.1:3000',
        protocol: 'http',
        description: 'The default address of a standalone vitals',
      },
    },
    channels: {
      stream: {
        address: '/api/v1/stream',
        title: 'The live stream',
        description: 'GET with Accept: text/event-stream; query options are in the bindings.',
        messages: {
          meta: message('meta', 'Stream settings', 'Sent first on every connection', 'Meta'),
          sample: message('sample', 'Sample', 'One reading of the host', 'SampleDto'),
          alert: {
            ...message('alert', 'Alert', 'A rule changed state', 'AlertDto'),
            description:
              'Each change (warning, critical, resolved) has an id in the stream sequence and ' +
              'is replayed on resume. Right after meta, a client that is not resuming gets the ' +
              'alerts active now as alert frames without an id (state, not history).',
          },
          gap: message(
            'gap',
            'Gap',
            'Events after the resume point, or a gateway outage, were lost',
            'Gap',
          ),
          hosts: {
            ...message('hosts', 'Hosts', 'The set of hosts or their staleness changed', 'Hosts'),
            description:
              'State, not history: no id (Last-Event-ID is unchanged), never replayed, and only ' +
              'the newest is sent to a client that is behind. A client fetches GET /api/v1/hosts ' +
              'when it (re)connects and takes these as changes. Every stream gets it, whatever ' +
              'its host=.',
          },
        },
        bindings: { http: { bindingVersion: '0.3.0' } },
      },
      demo: {
        address: '/stream',
        title: 'The original demo stream',
        description: 'Unnamed events (`message` in EventSource) with CPU and memory usage.',
        messages: {
          demo: message('demo', 'Demo', 'CPU and RAM usage in percent', 'Demo'),
        },
      },
    },
    operations: {
      sendStream: {
        action: 'send',
        channel: { $ref: '#/channels/stream' },
        summary: 'vitals pushes meta, sample, alert, gap and hosts events to each subscriber',
        bindings: { http: { method: 'GET', query: QUERY, bindingVersion: '0.3.0' } },
        messages: ['meta', 'sample', 'alert', 'gap', 'hosts'].map((name) => ({
          $ref: `#/channels/stream/messages/${name}`,
        })),
      },
      sendDemo: {
        action: 'send',
        channel: { $ref: '#/channels/demo' },
        bindings: { http: { method: 'GET', bindingVersion: '0.3.0' } },
        messages: [{ $ref: '#/channels/demo/messages/demo' }],
      },
    },
    components: { schemas: { ...sampleSchemas, ...alertSchemas, ...hostSchemas, ...SCHEMAS } },
  };
}
