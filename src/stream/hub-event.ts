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

/** Anything the hub numbers and streams: a sample or an alert. */
export interface HubEvent {
  readonly kind: 'sample' | 'alert';
  readonly id: number;
  /** performance.now() when published, for freshness checks immune to clock changes. */
  readonly publishedAt: number;
  frame(projection: SampleProjection): SerializedFrame;
}
