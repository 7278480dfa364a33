import type { MessageEvent } from '@nestjs/common';
import type { Sample } from '../metrics/sample.js';
import type { SampleProjection } from './sample-projection.js';

/** An SSE frame whose data is already serialized. */
export interface SerializedFrame extends MessageEvent {
  data: string;
  id: string;
}

/**
 * A published sample and its frames. A frame is serialized the first time a reader asks for
 * its projection and then shared: one JSON.stringify per tick and projection, however many
 * subscribers, and one frame object that Nest writes without copying.
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
      frame = {
        id: String(this.id),
        type: projection.eventType,
        data: JSON.stringify(projection.project(this.sample)),
      };
      this.frames.set(projection.key, frame);
    }
    return frame;
  }
}
