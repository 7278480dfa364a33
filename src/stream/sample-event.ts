import type { Sample } from '../metrics/sample.js';
import type { HubEvent, SerializedFrame } from './hub-event.js';
import type { SampleProjection } from './sample-projection.js';
import { formatSse } from './sse-format.js';

/**
 * A published sample and its frames. A frame is serialized the first time a reader asks for
 * its projection and then shared: one JSON.stringify and one SSE text per tick and projection,
 * however many subscribers.
 */
export class SampleEvent implements HubEvent {
  readonly kind = 'sample';
  private readonly frames = new Map<string, SerializedFrame>();

  constructor(
    readonly id: number,
    readonly eventId: string,
    /** The sample's ordinal among its host's, for `every=`: samples whose index divides by n. */
    readonly sampleIndex: number,
    readonly sample: Sample,
    readonly publishedAt: number,
    readonly remote = false,
  ) {}

  get host(): string {
    return this.sample.host;
  }

  frame(projection: SampleProjection): SerializedFrame {
    let frame = this.frames.get(projection.key);
    if (!frame) {
      const id = this.eventId;
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
