import type { Sample } from '../metrics/sample.js';
import type { SampleProjection } from './sample-projection.js';

/** The original sse-stream demo's payload: unnamed events with `{"cpu", "ram"}` percentages. */
export const DEMO_PROJECTION: SampleProjection = {
  key: 'demo',
  eventType: undefined,
  project: (sample: Sample) => ({ cpu: sample.cpu.usage, ram: sample.memory.usage }),
};
