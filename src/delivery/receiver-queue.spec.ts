import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { eventually } from '../../test/helpers/eventually.js';
import { freePort } from '../../test/helpers/redis.js';
import {
  type DeliveryJob,
  type DeliveryRecord,
  ReceiverQueue,
  type ReceiverQueueOptions,
} from './receiver-queue.js';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

/** A real HTTP receiver: records each request's body and answers with `handler`. */
async function receiver(
  handler: Handler,
): Promise<{ server: Server; url: string; bodies: string[] }> {
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      bodies.push(body);
      handler(req, res, body);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return { server, url: `http://127.0.0.1:${port}/hook`, bodies };
}

const job = (n: number, url: string): DeliveryJob => ({
  rule: `rule-${n}`,
  host: 'web-1',
  severity: 'critical',
  request: { url, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ n }) },
});

describe('ReceiverQueue against a real HTTP receiver', () => {
  const servers: Server[] = [];
  const queues: ReceiverQueue[] = [];
  let records: DeliveryRecord[];

  const queue = (options: Partial<ReceiverQueueOptions> = {}) => {
    const made = new ReceiverQueue('hook', {
      capacity: 10,
      timeoutMs: 200,
      maxAttempts: 3,
      retryMinMs: 20,
      retryMaxMs: 80,
      onResult: (record) => records.push(record),
      ...options,
    });
    queues.push(made);
    return made;
  };

  const serve = async (handler: Handler) => {
    const made = await receiver(handler);
    servers.push(made.server);
    return made;
  };

  beforeEach(() => {
    records = [];
  });

  afterEach(async () => {
    queues.splice(0).forEach((q) => q.stop());
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      server.close();
    }
    await new Promise((resolve) => setImmediate(resolve));
  });

  it('should send each job once, in order, and report it sent', async () => {
    const { url, bodies } = await serve((_, res) => res.writeHead(204).end());
    const q = queue();

    [1, 2, 3].forEach((n) => q.enqueue(job(n, url)));
    await eventually(() => records.length === 3);

    expect(bodies).toEqual(['{"n":1}', '{"n":2}', '{"n":3}']);
    expect(records.map((r) => [r.rule, r.result, r.attempts, r.error])).toEqual([
      ['rule-1', 'sent', 1, null],
      ['rule-2', 'sent', 1, null],
      ['rule-3', 'sent', 1, null],
    ]);
    expect(q.depth).toBe(0);
  });

  it('should retry a receiver answering 500 and report it sent once it answers 200', async () => {
    let calls = 0;
    const { url } = await serve((_, res) => res.writeHead(++calls < 3 ? 500 : 200).end());
    const q = queue();

    q.enqueue(job(1, url));
    await eventually(() => records.length === 1);

    expect(records[0]).toMatchObject({ result: 'sent', attempts: 3, error: null });
  });

  it('should fail a job for good after its attempts, naming the last error, and go on', async () => {
    let calls = 0;
    const { url } = await serve((_, res) => res.writeHead(++calls <= 3 ? 503 : 200).end());
    const q = queue();

    q.enqueue(job(1, url));
    q.enqueue(job(2, url));
    await eventually(() => records.length === 2);

    expect(records.map((r) => [r.rule, r.result, r.attempts, r.error])).toEqual([
      ['rule-1', 'failed', 3, 'HTTP 503'],
      ['rule-2', 'sent', 1, null],
    ]);
  });

  it('should give up on a receiver that never answers after the time limit of each attempt', async () => {
    const { url } = await serve(() => undefined); // accepts, never answers
    const q = queue({ maxAttempts: 2 });
    const started = Date.now();

    q.enqueue(job(1, url));
    await eventually(() => records.length === 1, 5000);

    expect(records[0]).toMatchObject({
      result: 'failed',
      attempts: 2,
      error: 'no answer in 200 ms',
    });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('should report a receiver that is down with the connection error', async () => {
    const q = queue({ maxAttempts: 2 });

    q.enqueue(job(1, `http://127.0.0.1:${await freePort()}/hook`));
    await eventually(() => records.length === 1);

    expect(records[0]).toMatchObject({ result: 'failed', attempts: 2 });
    expect(records[0]?.error).toMatch(/fetch failed|ECONNREFUSED/);
  });

  it('should drop and report the oldest waiting job when over capacity, never the one being sent', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { url, bodies } = await serve((_, res) => void gate.then(() => res.writeHead(200).end()));
    const q = queue({ capacity: 2, timeoutMs: 5000 });

    [1, 2, 3, 4].forEach((n) => q.enqueue(job(n, url)));
    expect(q.depth).toBe(2);
    release();
    await eventually(() => records.filter((r) => r.result === 'sent').length === 2);

    expect(records.map((r) => [r.rule, r.result])).toEqual([
      ['rule-2', 'dropped'],
      ['rule-3', 'dropped'],
      ['rule-1', 'sent'],
      ['rule-4', 'sent'],
    ]);
    expect(records[0]?.error).toBe('queue full (2)');
    expect(bodies).toEqual(['{"n":1}', '{"n":4}']);
  });

  it('should wait between half and all of the doubled backoff before each retry', async () => {
    const waits: number[] = [];
    const sleep = (ms: number) => {
      waits.push(ms);
      return Promise.resolve();
    };
    const send = () => Promise.resolve(500);
    const low = queue({
      send,
      sleep,
      maxAttempts: 4,
      retryMinMs: 100,
      retryMaxMs: 300,
      random: () => 0,
    });
    low.enqueue(job(1, 'http://unused'));
    await eventually(() => records.length === 1);
    const high = queue({
      send,
      sleep,
      maxAttempts: 4,
      retryMinMs: 100,
      retryMaxMs: 300,
      random: () => 0.999,
    });
    high.enqueue(job(2, 'http://unused'));
    await eventually(() => records.length === 2);

    // Bounds 100, 200, then 300 (capped): half of each at the lowest, all of it at the highest.
    expect(waits).toEqual([50, 100, 150, 100, 200, 300]);
  });

  it('should send nothing more once stopped, the attempt under way aborted', async () => {
    const { url, bodies } = await serve(() => undefined);
    const q = queue({ timeoutMs: 5000 });
    q.enqueue(job(1, url));
    q.enqueue(job(2, url));
    await eventually(() => bodies.length === 1);

    q.stop();
    q.enqueue(job(3, url));
    await new Promise((resolve) => setTimeout(resolve, 100));

    expect(bodies).toEqual(['{"n":1}']);
    expect(records).toEqual([]);
  });
});
