import type { SampleProjection } from './sample-projection.js';

/** A frame serialized once: its JSON and its whole SSE text, as bytes. */
export interface SerializedFrame {
  id: string;
  type: string | undefined;
  /** The JSON payload (also what the REST routes answer with). */
  data: string;
  /** `event:`/`id:`/`data:` lines, encoded once and written as they are to every subscriber. */
  sse: Buffer;
}

/** Anything the hub holds and streams: a sample, an alert, or a gap (events known lost). */
export interface HubEvent {
  readonly kind: 'sample' | 'alert' | 'gap';
  /** The hub's position: consecutive integers, so the ring finds an event by arithmetic. */
  readonly id: number;
  /** The id clients see: the position as text, or the Redis Stream entry id on a gateway. */
  readonly eventId: string;
  /** The host the event is about. */
  readonly host: string;
  /** performance.now() when published, for freshness checks immune to clock changes. */
  readonly publishedAt: number;
  /** True when the event came from another process (a gateway's agents) rather than this one. */
  readonly remote: boolean;
  frame(projection: SampleProjection): SerializedFrame;
}
