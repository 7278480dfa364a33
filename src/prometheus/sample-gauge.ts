import type { Metric, MetricObjectWithValues, MetricValue } from 'prom-client';
import type { Sample } from '../hub/sample.js';

type Labels = Record<string, string>;

/** Reports one value (with labels) per call; null and undefined are left out, not sent as 0. */
export type Emit = (value: number | null | undefined, labels?: Labels) => void;

/** A gauge's name, help, and what it reads from a sample. */
export type Gauge = [string, string, (s: Sample, emit: Emit) => void];

// Percent values become 0-1 ratios without float noise (98.01 / 100 = 0.9801000000000001).
export const ratio = (percent: number | null | undefined): number | null =>
  percent === null || percent === undefined ? null : Math.round(percent * 100) / 10000;

/** A host's newest sample, and whether its series need a `host` label to tell hosts apart. */
export interface LabelledSample {
  sample: Sample;
  labelHost: boolean;
}

/**
 * A gauge computed from the hub's latest samples at scrape time: this host's, or on a gateway
 * every host's (labelled `host`). Unlike prom-client's Gauge, a series the host cannot provide
 * is absent from the exposition instead of reading 0.
 */
export class SampleGauge {
  readonly type = 'gauge';
  readonly aggregator = 'sum';

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly latest: () => Iterable<LabelledSample>,
    private readonly fill: (sample: Sample, emit: Emit) => void,
  ) {}

  /** The shape prom-client's Registry asks its metrics for. */
  asMetric(): Metric {
    return this as unknown as Metric;
  }

  get(): Omit<MetricObjectWithValues<MetricValue<string>>, 'collect'> {
    const values: Array<MetricValue<string>> = [];
    for (const { sample, labelHost } of this.latest()) {
      try {
        this.fill(sample, (value, labels = {}) => {
          if (value !== null && value !== undefined && Number.isFinite(value)) {
            values.push({ value, labels: labelHost ? { host: sample.host, ...labels } : labels });
          }
        });
      } catch {
        // A sample of another shape (an agent of another version): its series are left out
        // rather than failing the whole scrape.
      }
    }
    return { name: this.name, help: this.help, type: 'gauge' as never, aggregator: 'sum', values };
  }

  reset(): void {
    // Nothing is stored between scrapes.
  }
}
