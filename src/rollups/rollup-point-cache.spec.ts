import { RollupPointCache } from './rollup-point-cache.js';

const text = (bytes: number) => Buffer.from('x'.repeat(bytes));
// What an entry of `bytes` counts for.
const counted = (bytes: number) => 160 + bytes;

describe('RollupPointCache', () => {
  it('should answer what was added for the same sample count, and nothing for another', () => {
    const cache = new RollupPointCache(10_000);
    cache.add('web-1/1m/*', 0, 60, Buffer.from('{"samples":60}'));

    expect(cache.get('web-1/1m/*', 0, 60)?.toString()).toBe('{"samples":60}');
    expect(cache.get('web-1/1m/*', 0, 61)).toBeUndefined();
    expect(cache.get('web-1/1m/cpu', 0, 60)).toBeUndefined();
    expect(cache.get('web-1/1m/*', 60_000, 60)).toBeUndefined();
  });

  it('should replace what it kept for a bucket when the bucket is added again', () => {
    const cache = new RollupPointCache(10_000);
    cache.add('s', 0, 30, text(10));

    cache.add('s', 0, 60, text(20));

    expect(cache.get('s', 0, 30)).toBeUndefined();
    expect(cache.get('s', 0, 60)).toEqual(text(20));
    expect(cache.size).toBe(1);
    expect(cache.bytes).toBe(counted(20));
  });

  it('should evict entries unused since the last sweep first, past its budget', () => {
    const cache = new RollupPointCache(3 * counted(1000));
    for (const start of [0, 1, 2]) {
      cache.add('s', start, 1, text(1000));
    }
    cache.get('s', 0, 1);

    cache.add('s', 3, 1, text(1000));

    expect([0, 1, 2, 3].map((start) => cache.get('s', start, 1) !== undefined)).toEqual([
      true,
      false,
      true,
      true,
    ]);
    expect(cache.bytes).toBeLessThanOrEqual(cache.budgetBytes);
  });

  it('should keep no entry larger than the whole budget', () => {
    const cache = new RollupPointCache(500);
    cache.add('s', 0, 1, text(10));

    cache.add('s', 1, 1, text(600));

    expect(cache.get('s', 1, 1)).toBeUndefined();
    expect(cache.get('s', 0, 1)).toBeDefined();
    expect(cache.bytes).toBe(counted(10));
  });

  it('should stay within its budget under many series', () => {
    const cache = new RollupPointCache(50 * counted(100));
    for (let host = 0; host < 40; host++) {
      for (let start = 0; start < 10; start++) {
        cache.add(`host-${host}`, start, 1, text(100));
      }
    }

    expect(cache.size).toBe(50);
    expect(cache.bytes).toBe(50 * counted(100));
    expect(cache.get('host-39', 9, 1)).toBeDefined();
    expect(cache.get('host-0', 0, 1)).toBeUndefined();
  });
});
