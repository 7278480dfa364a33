import { RollupAccumulator } from './rollup-accumulator.js';
import type { RollupBucket } from './rollup-bucket.js';
import type { RollupRow } from './rollup-store.js';
import { RollupWriteQueue } from './rollup-write-queue.js';

const bucket = (start: number): RollupBucket => ({
  host: 'web-1',
  tier: '1m',
  start,
  accumulator: RollupAccumulator.empty(),
});

describe('RollupWriteQueue', () => {
  it('should drop the oldest buckets past its capacity while the store fails, and count them', async () => {
    const upsert = (_rows: readonly RollupRow[]) => Promise.reject(new Error('down'));
    const changes: (string | undefined)[] = [];
    const queue = new RollupWriteQueue(
      { upsert },
      {
        capacity: 3,
        retryMinMs: 60_000,
        onStateChange: (error) => changes.push(error),
      },
    );

    queue.enqueue([bucket(1), bucket(2)]);
    await new Promise((resolve) => setImmediate(resolve));
    queue.enqueue([bucket(3), bucket(4), bucket(5)]);

    expect(queue.queued).toBe(3);
    expect(queue.dropped).toBe(2);
    expect(queue.waiting().map((b) => b.start)).toEqual([3, 4, 5]);
    expect(changes).toEqual(['down']);
    queue.stop();
  });

  it('should write one batch per transaction and say once that the store is back', async () => {
    let fail = true;
    const batches: number[][] = [];
    const upsert = (rows: readonly RollupRow[]) => {
      if (fail) {
        return Promise.reject(new Error('down'));
      }
      batches.push(rows.map((row) => row.start));
      return Promise.resolve();
    };
    const changes: (string | undefined)[] = [];
    const queue = new RollupWriteQueue(
      { upsert },
      {
        capacity: 10,
        batchSize: 2,
        retryMinMs: 5,
        onStateChange: (error) => changes.push(error),
      },
    );

    queue.enqueue([bucket(1), bucket(2), bucket(3)]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    fail = false;
    await new Promise((resolve) => setTimeout(resolve, 100));

    expect(batches).toEqual([[1, 2], [3]]);
    expect(queue.written).toBe(3);
    expect(changes).toEqual(['down', undefined]);
    queue.stop();
  });
});
