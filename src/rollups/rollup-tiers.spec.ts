import {
  bucketStart,
  chooseTier,
  DEFAULT_ROLLUPS,
  parseRetention,
  parseRollupTiers,
  pointsPerHost,
  type RollupTier,
} from './rollup-tiers.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const YEAR = 365 * DAY;

describe('rollup tiers', () => {
  describe('parseRollupTiers', () => {
    it('should read the three tiers finest first when given the default', () => {
      // Act
      const tiers = parseRollupTiers(DEFAULT_ROLLUPS);

      // Assert
      expect(tiers).toEqual([
        { name: '1m', stepMs: MINUTE, retentionMs: 7 * DAY },
        { name: '15m', stepMs: 15 * MINUTE, retentionMs: 90 * DAY },
        { name: '1h', stepMs: HOUR, retentionMs: 2 * YEAR },
      ]);
    });

    it('should keep a subset sorted finest first when listed out of order with spaces', () => {
      expect(parseRollupTiers(' 1h:30d , 1m:90m ')).toEqual([
        { name: '1m', stepMs: MINUTE, retentionMs: 90 * MINUTE },
        { name: '1h', stepMs: HOUR, retentionMs: 30 * DAY },
      ]);
    });

    it('should give no tiers when the value is off', () => {
      expect(parseRollupTiers('off')).toEqual([]);
    });

    it.each([
      ['5m:7d', /"5m" is not a tier \(tiers: 1m, 15m, 1h\)/],
      ['1m:7w', /"7w" \(tier 1m\) is not a duration/],
      ['1m:0d', /"0d" \(tier 1m\) is not a duration/],
      ['1m:-7d', /"-7d" \(tier 1m\) is not a duration/],
      ['1m:1.5d', /is not a duration/],
      ['1m:7d,1m:14d', /tier 1m is listed twice/],
      ['1h:30m', /tier 1h keeps 30m, less than one 1h bucket/],
      ['1m', /"1m" is not <tier>:<retention>/],
      ['1m:7d:2', /"1m:7d:2" is not <tier>:<retention>/],
      ['1m:7d,', /"" is not <tier>:<retention>/],
      ['', /is empty/],
      ['OFF', /"OFF" is not <tier>:<retention>/],
    ])('should name the problem when the value is %p', (text, message) => {
      // Act
      const parse = () => parseRollupTiers(text);

      // Assert
      expect(parse).toThrow(message);
      expect(parse).toThrow(/expected "off" or a list like 1m:7d,15m:90d,1h:2y/);
    });

    it.each([
      ['90m', 90 * MINUTE],
      ['36h', 36 * HOUR],
      ['7d', 7 * DAY],
      ['2y', 2 * YEAR],
    ])('should read the retention %p when it is <n>m|h|d|y', (text, ms) => {
      expect(parseRetention(text)).toBe(ms);
    });
  });

  describe('bucketStart', () => {
    const [minute, quarter, hour] = parseRollupTiers(DEFAULT_ROLLUPS) as [
      RollupTier,
      RollupTier,
      RollupTier,
    ];

    it('should align to the epoch in UTC when the time is inside a bucket', () => {
      // Arrange
      const time = Date.parse('2026-11-24T11:59:59.999Z');

      // Act
      const starts = [minute, quarter, hour].map((tier) =>
        new Date(bucketStart(tier, time)).toISOString(),
      );

      // Assert
      expect(starts).toEqual([
        '2026-11-24T11:59:00.000Z',
        '2026-11-24T11:45:00.000Z',
        '2026-11-24T11:00:00.000Z',
      ]);
    });

    it('should start the next bucket when the time is exactly on the boundary', () => {
      const boundary = Date.parse('2026-11-24T12:00:00.000Z');

      expect(bucketStart(hour, boundary)).toBe(boundary);
      expect(bucketStart(hour, boundary - 1)).toBe(boundary - HOUR);
    });
  });

  describe('chooseTier', () => {
    const tiers = parseRollupTiers(DEFAULT_ROLLUPS);
    const now = Date.parse('2026-11-24T12:00:30.000Z');

    it.each([
      ['-1h', HOUR, '1m'],
      ['-24h', DAY, '1m'],
      ['-25h', 25 * HOUR, '15m'],
      ['-7d', 7 * DAY, '15m'],
      ['-15d', 15 * DAY, '15m'],
      ['-16d', 16 * DAY, '1h'],
      ['-90d', 90 * DAY, '1h'],
      ['-3y (older than every retention)', 3 * YEAR, '1h'],
    ])('should choose the finest tier that fits when the query starts %s', (_, ago, name) => {
      expect(chooseTier(tiers, now - ago, now, now)?.name).toBe(name);
    });

    it('should skip a fine tier when its retention does not reach from, few points or not', () => {
      // Arrange: two hours, eight days ago: 121 points of 1m, but 1m keeps only 7 days.
      const from = now - 8 * DAY;

      // Act
      const tier = chooseTier(tiers, from, from + 2 * HOUR, now);

      // Assert
      expect(tier?.name).toBe('15m');
    });

    it('should count the open bucket when counting points', () => {
      // 1500 whole minutes plus the minute still open: 1501 points.
      const from = Date.parse('2026-11-23T11:00:00.000Z');
      const minute = tiers[0] as RollupTier;

      expect(pointsPerHost(minute, from, from + 1500 * MINUTE)).toBe(1501);
      expect(chooseTier(tiers, from, from + 1500 * MINUTE, now)?.name).toBe('15m');
      expect(chooseTier(tiers, from, from + 1499 * MINUTE, now)?.name).toBe('1m');
    });

    it('should give no tier when rollups are off', () => {
      expect(chooseTier([], now - HOUR, now, now)).toBeUndefined();
    });
  });
});
