/** The injection token of the RollupStore the module's factory picked. */
export const ROLLUP_STORE = Symbol('ROLLUP_STORE');

/** The injection token of the rollups' clock (epoch milliseconds); Date.now in the service. */
export const ROLLUP_CLOCK = Symbol('ROLLUP_CLOCK');
