import type { Sample } from './sample.js';
import type { SampleProjection } from './sample-projection.js';

/** The original sse-stream demo's payload: unnamed events with `{"cpu", "ram"}` percentages. */
export const DEMO_PROJECTION: SampleProjection = {
  key: 'demo',
  eventType: undefined,
  // A group the host could not read is null: so is its figure here.
  project: (sample: Sample) => ({
    cpu: sample.cpu?.usage ?? null,
    ram: sample.memory?.usage ?? null,
  }),
};
