import type { RollupAccumulator } from './rollup-accumulator.js';
import type { TierName } from './rollup-tiers.js';

/** One host's bucket of one tier: what the store keeps under (host, tier, start). */
export interface RollupBucket {
  readonly host: string;
  readonly tier: TierName;
  /** The bucket's start in epoch milliseconds (bucketStart), as the store's `start`. */
  readonly start: number;
  readonly accumulator: RollupAccumulator;
}
