import type { Sample } from '../metrics/sample.js';
import type { SampleProjection } from './sample-projection.js';
import { formatSse } from './sse-format.js';

/** A frame serialized once: its JSON and its whole SSE text, as bytes. */
export interface SerializedFrame {
  id: string;
  type: string | undefined;
  /** The JSON payload (also what the REST routes answer with). */
  data: string;
  /** `event:`/`id:`/`data:` lines, encoded once and written as they are to every subscriber. */
  sse: Buffer;
}

/**
 * A published sample and its frames. A frame is serialized the first time a reader asks for
 * its projection and then shared: one JSON.stringify and one SSE text per tick and projection,
 * however many subscribers.
 */
export class SampleEvent {
  private readonly frames = new Map<string, SerializedFrame>();

  constructor(
    readonly id: number,
    /** The sample's ordinal since startup, for `every=`: samples whose index divides by n. */
    readonly sampleIndex: number,
    readonly sample: Sample,
    /** performance.now() when published, for freshness checks immune to clock changes. */
    readonly publishedAt: number,
  ) {}

  frame(projection: SampleProjection): SerializedFrame {
    let frame = this.frames.get(projection.key);
    if (!frame) {
      const id = String(this.id);
      const data = JSON.stringify(projection.project(this.sample));
      frame = {
        id,
        type: projection.eventType,
        data,
        // Encoded here once: a string would be measured and encoded again for every socket.
        sse: Buffer.from(formatSse({ event: projection.eventType, id, data })),
      };
      this.frames.set(projection.key, frame);
    }
    return frame;
  }
}
