import { Test } from '@nestjs/testing';
import type { ConfigType } from '@nestjs/config';
import { Redis } from 'ioredis';
import { eventually } from '../../test/helpers/eventually.js';
import { alertChange } from '../../test/helpers/readings.js';
import { appendSamples, ThrowawayRedis } from '../../test/helpers/redis.js';
import { streamConfig } from '../config/stream.config.js';
import { transportConfig } from '../config/transport.config.js';
import { alertKey } from '../hub/alert-event.js';
import { previousEventId } from '../hub/event-id.js';
import { SampleHubService } from '../hub/sample-hub.service.js';
import { RedisArchiveService } from './redis-archive.service.js';
import { RedisFeedService } from './redis-feed.service.js';
import { RedisStreamRepository } from './redis-stream.repository.js';

const STREAM = 'vitals:events';
const ALERTS = 'vitals:events:alerts';
const ALERT = alertChange();

// The fields an agent appends for an alert change, idempotency key included.
const alertFields = (data: string, seq: number): string[] => [
  ...['kind', 'alert', 'host', ALERT.host, 'data', data],
  ...['run', 'run-1', 'seq', String(seq)],
];

describe('RedisStreamRepository against a real redis-server', () => {
  let redis: ThrowawayRedis;
  let client: Redis;
  let repositories: RedisStreamRepository[];

  const config = (redisUrl: string | undefined) =>
    ({ redisUrl, stream: STREAM, maxLength: 1000 }) as ConfigType<typeof transportConfig>;
  const connected = async (options: { blocking?: boolean } = {}) => {
    const repository = new RedisStreamRepository(config(redis.url));
    repositories.push(repository);
    repository.connect('vitals-test', options);
    await eventually(() => repository.ready, 5000, 10);
    return repository;
  };

  beforeEach(async () => {
    redis = await ThrowawayRedis.start();
    client = new Redis(redis.url);
    repositories = [];
  });

  afterEach(async () => {
    repositories.forEach((repository) => repository.disconnect());
    client.disconnect();
    await redis.stop();
  });

  it('should give a lease to one owner, keep it for that owner only, and free it on release', async () => {
    const [a, b] = [await connected(), await connected()];

    expect(await a.holdLease('lease', 'a', 1000)).toBe(true);
    expect(await b.holdLease('lease', 'b', 1000)).toBe(false);
    expect(await a.holdLease('lease', 'a', 60_000)).toBe(true);
    // The holder's renewal pushed the expiry back; another owner cannot release it.
    expect(await client.pttl('lease')).toBeGreaterThan(50_000);
    await b.releaseLease('lease', 'b');
    expect(await client.get('lease')).toBe('a');
    await a.releaseLease('lease', 'a');
    expect(await b.holdLease('lease', 'b', 1000)).toBe(true);
  });

  it('should let another owner take a lease its holder stopped renewing, once it expired', async () => {
    const [a, b] = [await connected(), await connected()];
    await a.holdLease('lease', 'a', 100);

    await eventually(async () => b.holdLease('lease', 'b', 1000), 3000, 50);

    expect(await client.get('lease')).toBe('b');
    expect(await a.holdLease('lease', 'a', 1000)).toBe(false);
  });

  it('should not connect when no Redis is configured', () => {
    const repository = new RedisStreamRepository(config(undefined));

    expect(repository.connect('vitals-test')).toBe(false);
    expect(repository.ready).toBe(false);
  });

  it('should keep the hash of active alerts in step with the alert entries', async () => {
    const repository = await connected();
    const data = JSON.stringify(ALERT);

    const raised = await repository.append([
      { fields: alertFields(data, 1), alertKey: alertKey(ALERT) },
    ]);
    const [entryId] = (await client.xrange(STREAM, '-', '+'))[0]!;
    const state = await client.hget(ALERTS, alertKey(ALERT));
    const active = await repository.activeAlerts();
    const resolved = JSON.stringify({ ...ALERT, severity: 'resolved' });
    await repository.append([{ fields: alertFields(resolved, 2), alertKey: alertKey(ALERT) }]);

    expect(raised).toEqual({ appended: 1 });
    expect(state).toBe(`${entryId} ${data}`);
    expect(active).toEqual([{ key: alertKey(ALERT), eventId: entryId, alert: ALERT }]);
    expect(await client.xlen(STREAM)).toBe(2);
    expect(await repository.activeAlerts()).toEqual([]);
  });

  it('should leave out a value in the hash of active alerts that is not one', async () => {
    const repository = await connected();
    await client.hset(
      ALERTS,
      'broken',
      'not an alert',
      alertKey(ALERT),
      `1-0 ${JSON.stringify(ALERT)}`,
    );

    const active = await repository.activeAlerts();

    expect(active).toEqual([{ key: alertKey(ALERT), eventId: '1-0', alert: ALERT }]);
  });

  it('should say how many entries of a batch Redis appended, in order, and why not the next', async () => {
    const repository = await connected();
    const sample = ['kind', 'sample', 'host', 'web-1', 'data', '{}', 'run', 'run-1', 'seq', '1'];

    const result = await repository.append([
      { fields: sample },
      // The script cannot decode this alert: Redis refuses the entry.
      { fields: alertFields('not json', 2), alertKey: alertKey(ALERT) },
      { fields: sample },
    ]);

    expect(result.appended).toBe(1);
    expect(result.error?.message).toMatch(/user_script.*invalid token/);
    // Not a transaction: what comes after is appended, and is sent again with the same keys.
    expect((await client.xrevrange(STREAM, '+', '-', 'COUNT', 1))[0]![1]).toEqual(sample);
  });

  it('should wait for new entries on a blocking connection, and refuse to on another', async () => {
    const [last] = await appendSamples(client, STREAM, 1);
    const reader = await connected({ blocking: true });
    const other = await connected();

    const reading = reader.readNew(last!, 10);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const appended = await appendSamples(client, STREAM, 1, 'web-2');

    expect((await reading).map(([id]) => id)).toEqual(appended);
    await expect(other.readNew(last!, 10)).rejects.toThrow(/blocking/);
  });

  describe('trimmedAfter', () => {
    it('should say nothing was trimmed when there is no stream yet', async () => {
      const repository = await connected();

      expect(await repository.trimmedAfter('1-0')).toBeUndefined();
    });

    it('should say nothing was trimmed from a stream that never lost an entry, however far back the id', async () => {
      const repository = await connected();
      await appendSamples(client, STREAM, 5);

      expect(await repository.trimmedAfter('1-0')).toBeUndefined();
    });

    it('should give the oldest entry left when trimming took entries after the id', async () => {
      const repository = await connected();
      const ids = await appendSamples(client, STREAM, 300, 'web-1', 100);
      const first = ids[200]!;

      const trimmed = await repository.trimmedAfter(ids[10]!);
      const justBefore = await repository.trimmedAfter(ids[198]!);
      const seenAll = await repository.trimmedAfter(previousEventId(first));
      const kept = await repository.trimmedAfter(ids[250]!);

      expect([trimmed, justBefore]).toEqual([first, first]);
      expect([seenAll, kept]).toEqual([undefined, undefined]);
    });
  });

  it('should give each consumer a connection of its own, the feed a blocking one', async () => {
    const transport = { mode: 'gateway', redisUrl: redis.url, stream: STREAM };
    const moduleRef = await Test.createTestingModule({
      providers: [
        SampleHubService,
        RedisStreamRepository,
        RedisFeedService,
        RedisArchiveService,
        { provide: streamConfig.KEY, useValue: { history: 100, remoteIds: true } },
        { provide: transportConfig.KEY, useValue: transport },
      ],
    }).compile();
    await moduleRef.init();

    try {
      await eventually(() => moduleRef.get(RedisFeedService).health().ready, 5000, 25);
      const names = (await client.client('LIST')) as string;
      expect(names).toContain('name=vitals-gateway-reader ');
      expect(names).toContain('name=vitals-gateway ');
    } finally {
      await moduleRef.close();
    }
  });
});
