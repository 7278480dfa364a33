import type { HostReading, SampleReading } from '../../src/metrics/sample.js';

/** A plausible host reading whose CPU usage is `usage` percent and memory a quarter used. */
export function hostReading(usage = 30): HostReading {
  return {
    cpu: {
      usage,
      user: usage / 2,
      system: usage / 2,
      iowait: 0,
      steal: 0,
      idle: 100 - usage,
      cores: [usage, usage],
      load: [0.5, 0.25, 0.125],
      count: 2,
    },
    memory: {
      total: 8 * 1024 ** 3,
      used: 2 * 1024 ** 3,
      available: 6 * 1024 ** 3,
      usage: 25,
      swapTotal: 0,
      swapUsed: 0,
      swapUsage: null,
    },
  };
}

/** A reading as the sampler stamps it, before the hub numbers it. */
export function sampleReading(usage = 30): SampleReading {
  return { timestamp: '2026-11-24T11:00:00.000Z', host: 'web-1', ...hostReading(usage) };
}
