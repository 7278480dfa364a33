import type { RollupRow, RollupStore, TierName } from '../../src/rollups/rollup-store.js';

// A bucket start past 2^31 seconds' worth of milliseconds, so a 32-bit column would show.
export const T0 = Date.UTC(2026, 10, 24, 11, 0);
export const MINUTE = 60_000;

export function bucket(
  host: string,
  start: number,
  tier: TierName = '1m',
  samples = 60,
): RollupRow {
  return { host, tier, start, samples, data: JSON.stringify({ cpu: { usage: [1, 2, 3] }, host }) };
}

const TIERS: TierName[] = ['1m', '15m', '1h'];

/**
 * The behaviour every RollupStore shares, run against a real database. `create` makes a new
 * store on the same database each time (it is what a restart does); the cases empty it first.
 */
export function rollupStoreContract(create: () => RollupStore): void {
  let stores: RollupStore[];

  const opened = async () => {
    const store = create();
    stores.push(store);
    await store.open();
    return store;
  };

  beforeEach(async () => {
    stores = [];
    const store = await opened();
    for (const tier of TIERS) {
      await store.prune(tier, Number.MAX_SAFE_INTEGER);
    }
  });

  afterEach(async () => {
    await Promise.all(stores.map((store) => store.close()));
  });

  it('should replace a bucket when the same key is upserted again', async () => {
    const store = await opened();
    await store.upsert([bucket('web-1', T0), bucket('web-1', T0 + MINUTE)]);

    const again = { ...bucket('web-1', T0), samples: 61, data: '{"v":2}' };
    await store.upsert([again]);

    expect(await store.range('1m', T0, T0 + 2 * MINUTE)).toEqual([
      again,
      bucket('web-1', T0 + MINUTE),
    ]);
    expect(typeof (await store.range('1m', T0, T0 + 1))[0]?.start).toBe('number');
  });

  it('should keep a bucket when one aggregating fewer samples is upserted on it', async () => {
    const store = await opened();
    await store.upsert([bucket('web-1', T0, '1m', 60)]);

    await store.upsert([{ ...bucket('web-1', T0, '1m', 25), data: '{"partial":true}' }]);
    await store.upsert([{ ...bucket('web-1', T0, '1m', 60), data: '{"same":true}' }]);

    expect(await store.range('1m', 0, Number.MAX_SAFE_INTEGER)).toEqual([
      { ...bucket('web-1', T0, '1m', 60), data: '{"same":true}' },
    ]);
  });

  it('should keep the last row when one batch holds a key twice', async () => {
    const store = await opened();

    await store.upsert([bucket('web-1', T0), { ...bucket('web-1', T0), samples: 7 }]);

    expect(await store.range('1m', 0, Number.MAX_SAFE_INTEGER)).toEqual([
      { ...bucket('web-1', T0), samples: 7 },
    ]);
  });

  it('should list a tier from inclusive to exclusive by host then start when ranging', async () => {
    const store = await opened();
    const starts = [T0 - MINUTE, T0, T0 + MINUTE, T0 + 2 * MINUTE];
    const hosts = ['web-2', 'Web-1', 'db-1'];
    // Written in an order that is neither host nor time order.
    await store.upsert(
      [...starts].reverse().flatMap((start) => hosts.map((host) => bucket(host, start))),
    );
    await store.upsert([bucket('db-1', T0, '15m')]);

    const all = await store.range('1m', T0, T0 + 2 * MINUTE);
    const some = await store.range('1m', T0, T0 + 2 * MINUTE, ['web-2', 'db-1', 'absent']);

    expect(all.map((row) => `${row.host}@${(row.start - T0) / MINUTE}`)).toEqual([
      'Web-1@0',
      'Web-1@1',
      'db-1@0',
      'db-1@1',
      'web-2@0',
      'web-2@1',
    ]);
    expect(some.map((row) => `${row.host}@${(row.start - T0) / MINUTE}`)).toEqual([
      'db-1@0',
      'db-1@1',
      'web-2@0',
      'web-2@1',
    ]);
    expect(await store.range('1m', T0, T0 + 2 * MINUTE, [])).toEqual([]);
    expect(await store.range('15m', 0, T0 + 1)).toEqual([bucket('db-1', T0, '15m')]);
  });

  it('should list the buckets range lists, without their aggregates, as summaries', async () => {
    const store = await opened();
    await store.upsert([bucket('web-2', T0), bucket('web-1', T0 + MINUTE), bucket('web-1', T0)]);

    const summaries = await store.rangeSummaries('1m', T0, T0 + 2 * MINUTE, ['web-1', 'web-2']);

    const rows = await store.range('1m', T0, T0 + 2 * MINUTE);
    expect(summaries).toEqual(rows.map(({ data: _data, ...summary }) => summary));
    expect(summaries).toHaveLength(3);
    expect(await store.rangeSummaries('1m', T0, T0 + 1, [])).toEqual([]);
  });

  it('should delete only the older buckets of the tier when pruning', async () => {
    const store = await opened();
    await store.upsert([
      bucket('web-1', T0 - MINUTE),
      bucket('web-2', T0 - MINUTE),
      bucket('web-1', T0),
      bucket('web-1', T0 - MINUTE, '1h'),
    ]);

    const deleted = await store.prune('1m', T0);

    expect(deleted).toBe(2);
    expect(await store.range('1m', 0, Number.MAX_SAFE_INTEGER)).toEqual([bucket('web-1', T0)]);
    expect(await store.range('1h', 0, Number.MAX_SAFE_INTEGER)).toHaveLength(1);
    expect(await store.prune('1m', T0)).toBe(0);
  });

  it('should write batches larger than one statement', async () => {
    const store = await opened();
    const rows = Array.from({ length: 1300 }, (_, i) => bucket(`host-${i % 13}`, T0 + i * MINUTE));

    await store.upsert(rows);

    expect(await store.range('1m', 0, Number.MAX_SAFE_INTEGER)).toHaveLength(1300);
    expect(await store.range('1m', 0, Number.MAX_SAFE_INTEGER, ['host-3'])).toHaveLength(100);
  });

  it('should write nothing of a batch when one of its rows fails', async () => {
    const store = await opened();
    const rows = Array.from({ length: 700 }, (_, i) => bucket('web-1', T0 + i * MINUTE));
    const bad = { ...bucket('zz-last', T0), data: null as unknown as string };

    await expect(store.upsert([...rows, bad])).rejects.toThrow(
      `The rollup store ${store.label} failed to write buckets`,
    );

    expect(await store.range('1m', 0, Number.MAX_SAFE_INTEGER)).toEqual([]);
  });

  it('should report a size in bytes that grows with the buckets', async () => {
    const store = await opened();
    const before = await store.size();

    await store.upsert(
      Array.from({ length: 2000 }, (_, i) => ({
        ...bucket('web-1', T0 + i * MINUTE),
        data: 'x'.repeat(500),
      })),
    );
    const after = await store.size();

    expect(before).toBeGreaterThan(0);
    expect(after).toBeGreaterThan(before + 500_000);
  });

  it('should keep the buckets when opened again after close', async () => {
    const first = await opened();
    await first.upsert([bucket('web-1', T0), bucket('web-1', T0, '1h')]);
    await first.close();

    const second = await opened();

    expect(await second.range('1m', 0, Number.MAX_SAFE_INTEGER)).toEqual([bucket('web-1', T0)]);
    expect(await second.range('1h', T0, T0 + 1, ['web-1'])).toHaveLength(1);
  });
}
