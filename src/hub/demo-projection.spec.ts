import { sampleReading } from '../../test/helpers/readings.js';
import type { Sample } from './sample.js';
import { DEMO_PROJECTION } from './demo-projection.js';

describe('DEMO_PROJECTION', () => {
  it('should send the CPU and memory percentages when both groups were read', () => {
    const sample: Sample = { id: 1, ...sampleReading(40) };

    const payload = DEMO_PROJECTION.project(sample);

    expect(payload).toEqual({ cpu: 40, ram: 25 });
  });

  it('should send null for a figure whose group the host could not read when it is null', () => {
    const sample: Sample = { id: 1, ...sampleReading(40), cpu: null, memory: null };

    const payload = DEMO_PROJECTION.project(sample);

    expect(payload).toEqual({ cpu: null, ram: null });
  });
});
