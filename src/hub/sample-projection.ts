import type { Sample } from './sample.js';

/**
 * One way of putting a sample on the wire. Each event serializes a projection at most once,
 * however many readers ask for it; `key` identifies the projection in that cache.
 */
export interface SampleProjection {
  readonly key: string;
  /** SSE event name; undefined sends unnamed events (the demo stream). */
  readonly eventType: string | undefined;
  project(sample: Sample): unknown;
}
