import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import request from 'supertest';
import { LEASE_TTL_MS } from '../src/transport/redis-delivery-lease.service.js';
import { eventually } from './helpers/eventually.js';
import { alertChange } from './helpers/readings.js';
import { redisClient, TEST_REDIS_URL, uniqueStreamKey } from './helpers/redis.js';
import { ServiceProcess } from './helpers/service-process.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

interface Ready {
  details?: { delivery?: { delivering?: boolean } };
}
const delivering = async (url: string): Promise<boolean | undefined> =>
  ((await request(url).get('/health/ready')).body as Ready).details?.delivery?.delivering;

describe('two gateway replicas with receivers, and one delivery lease', () => {
  const stream = uniqueStreamKey('lease');
  const redis: Redis = redisClient();
  let dir: string;
  let server: Server;
  const received: string[] = [];
  let first: ServiceProcess;
  let firstUrl: string;
  let second: TestApp;

  const alert = (severity: 'critical' | 'resolved') =>
    redis.xadd(
      stream,
      '*',
      ...['kind', 'alert', 'host', 'agent-1'],
      ...['data', JSON.stringify(alertChange({ host: 'agent-1', severity }))],
    );

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vitals-lease-'));
    server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        received.push(body);
        res.writeHead(200).end();
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`;
    const file = join(dir, 'alerts.yaml');
    writeFileSync(
      file,
      [
        'rules: []',
        'receivers:',
        `  - { name: hook, webhook: { url: '${url}' } }`,
        'routes:',
        '  - receiver: hook',
      ].join('\n'),
    );
    const env = {
      VITALS_MODE: 'gateway',
      VITALS_REDIS_URL: TEST_REDIS_URL,
      VITALS_REDIS_STREAM: stream,
      VITALS_ALERTS_FILE: file,
    };
    // The first replica, a real process (to be killed), takes the lease; then the second.
    first = new ServiceProcess({ ...env, VITALS_PORT: '0' });
    firstUrl = await first.listening();
    await eventually(async () => (await delivering(firstUrl)) === true);
    second = await startTestApp(env);
  }, 30_000);

  afterAll(async () => {
    first?.kill();
    await second?.app.close();
    server.close();
    await redis.del(stream, `${stream}:alerts`, `${stream}:delivery-lease`);
    redis.disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  it('should deliver each change once, from the holder only', async () => {
    expect(await delivering(second.url)).toBe(false);

    await alert('critical');
    await eventually(() => received.length === 1);
    // Both replicas read the entry; a second delivery would come within a tick or two.
    await new Promise((resolve) => setTimeout(resolve, 1500));

    expect(received).toHaveLength(1);
    expect(JSON.parse(received[0]!)).toMatchObject({ severity: 'critical', host: 'agent-1' });
  });

  it('should hand the lease over within its time when the holder is killed, and deliver once', async () => {
    const killedAt = Date.now();
    first.signal('SIGKILL');
    await first.exited;

    await eventually(async () => (await delivering(second.url)) === true, LEASE_TTL_MS + 10_000);
    // Within the lease's time, and one renewal of the replica waiting for it.
    expect(Date.now() - killedAt).toBeLessThan(LEASE_TTL_MS + LEASE_TTL_MS / 3 + 1000);

    await alert('resolved');
    await eventually(() => received.length === 2);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(received).toHaveLength(2);
    expect(JSON.parse(received[1]!)).toMatchObject({ severity: 'resolved' });
  }, 40_000);
});
