import type { Sample } from './sample.js';
import { FRAME_CACHE, type CachedFrame, type FrameCache } from './frame-cache.js';
import type { HubEvent, SerializedFrame } from './hub-event.js';
import type { SampleProjection } from './sample-projection.js';
import { formatSse } from './sse-format.js';

/**
 * A published sample and its frames. A frame is serialized the first time a reader asks for
 * its projection and then shared: one JSON.stringify and one SSE text per tick and projection,
 * however many subscribers. What all events keep is bounded by one byte budget (`cache`): a
 * client naming ever new `groups=` selections cannot grow it.
 */
export class SampleEvent implements HubEvent {
  readonly kind = 'sample';
  private readonly frames = new Map<string, CachedFrame>();

  constructor(
    readonly id: number,
    readonly eventId: string,
    /** The sample's ordinal among its host's, for `every=`: samples whose index divides by n. */
    readonly sampleIndex: number,
    readonly sample: Sample,
    readonly publishedAt: number,
    readonly remote = false,
    private readonly cache: FrameCache = FRAME_CACHE,
  ) {}

  get host(): string {
    return this.sample.host;
  }

  frame(projection: SampleProjection): SerializedFrame {
    const cached = this.frames.get(projection.key);
    if (cached) {
      cached.used = true;
      return cached.frame;
    }
    const id = this.eventId;
    const data = JSON.stringify(projection.project(this.sample));
    return this.cache.add(this.frames, projection.key, {
      id,
      type: projection.eventType,
      data,
      // Encoded here once: a string would be measured and encoded again for every socket.
      sse: Buffer.from(formatSse({ event: projection.eventType, id, data })),
    });
  }
}
