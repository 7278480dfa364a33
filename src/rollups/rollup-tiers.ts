/** The rollup tiers a deployment may keep, finest first. */
export const TIER_NAMES = ['1m', '15m', '1h'] as const;
export type TierName = (typeof TIER_NAMES)[number];

/** One configured tier: its bucket width and how long its buckets are kept. */
export interface RollupTier {
  readonly name: TierName;
  readonly stepMs: number;
  readonly retentionMs: number;
}

/** `VITALS_ROLLUPS` when unset: a week of minutes, a quarter of 15 minutes, two years of hours. */
export const DEFAULT_ROLLUPS = '1m:7d,15m:90d,1h:2y';

/** The most points per host the automatic step choice allows. */
export const MAX_POINTS_PER_HOST = 1500;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const STEPS: Record<TierName, number> = { '1m': MINUTE, '15m': 15 * MINUTE, '1h': HOUR };
// A year is 365 days: retention is a budget, not a calendar.
const UNITS: Record<string, number> = { m: MINUTE, h: HOUR, d: DAY, y: 365 * DAY };

function isTierName(text: string): text is TierName {
  return (TIER_NAMES as readonly string[]).includes(text);
}

/** Milliseconds of a retention such as `90m`, `36h`, `7d` or `2y`; undefined when not one. */
export function parseRetention(text: string): number | undefined {
  const match = /^([1-9]\d{0,5})([mhdy])$/.exec(text);
  return match ? Number(match[1]) * (UNITS[match[2] ?? ''] ?? Number.NaN) : undefined;
}

/**
 * The tiers of a `VITALS_ROLLUPS` value, finest first: `off` gives none, otherwise a
 * comma-separated list of `<tier>:<retention>` with each tier at most once. Throws an Error
 * whose message names the first problem (the config validation shows it after the value).
 */
export function parseRollupTiers(text: string): RollupTier[] {
  const value = text.trim();
  if (value === 'off') {
    return [];
  }
  if (value === '') {
    return fail('is empty');
  }
  const tiers: RollupTier[] = [];
  for (const raw of value.split(',')) {
    const entry = raw.trim();
    const [name = '', retention, ...rest] = entry.split(':').map((part) => part.trim());
    if (retention === undefined || rest.length > 0) {
      return fail(`"${entry}" is not <tier>:<retention> (e.g. 1m:7d)`);
    }
    if (!isTierName(name)) {
      return fail(`"${name}" is not a tier (tiers: ${TIER_NAMES.join(', ')})`);
    }
    const retentionMs = parseRetention(retention);
    if (retentionMs === undefined) {
      return fail(
        `"${retention}" (tier ${name}) is not a duration <n>m|h|d|y with a positive whole n`,
      );
    }
    if (tiers.some((tier) => tier.name === name)) {
      return fail(`tier ${name} is listed twice`);
    }
    if (retentionMs < STEPS[name]) {
      return fail(`tier ${name} keeps ${retention}, less than one ${name} bucket`);
    }
    tiers.push({ name, stepMs: STEPS[name], retentionMs });
  }
  return tiers.sort((a, b) => a.stepMs - b.stepMs);
}

function fail(problem: string): never {
  throw new Error(`${problem}; expected "off" or a list like ${DEFAULT_ROLLUPS}`);
}

/** The start of the bucket of `tier` that holds `timeMs`, aligned to the epoch (UTC). */
export function bucketStart(tier: Pick<RollupTier, 'stepMs'>, timeMs: number): number {
  return Math.floor(timeMs / tier.stepMs) * tier.stepMs;
}

/** How many buckets of `tier` a query from `fromMs` to `toMs` (both included) touches. */
export function pointsPerHost(tier: Pick<RollupTier, 'stepMs'>, fromMs: number, toMs: number) {
  return (bucketStart(tier, toMs) - bucketStart(tier, fromMs)) / tier.stepMs + 1;
}

/**
 * The tier to answer a query without `step`: the finest whose retention reaches `fromMs` and
 * that gives at most {@link MAX_POINTS_PER_HOST} points per host. When none does (a query
 * older than every retention, or too long for every tier), the coarsest tier: the fewest
 * points and, in every sensible configuration, the longest history. undefined without tiers.
 */
export function chooseTier(
  tiers: readonly RollupTier[],
  fromMs: number,
  toMs: number,
  nowMs: number,
  maxPoints = MAX_POINTS_PER_HOST,
): RollupTier | undefined {
  const finestFirst = [...tiers].sort((a, b) => a.stepMs - b.stepMs);
  return (
    finestFirst.find(
      (tier) =>
        nowMs - tier.retentionMs <= fromMs && pointsPerHost(tier, fromMs, toMs) <= maxPoints,
    ) ?? finestFirst.at(-1)
  );
}
