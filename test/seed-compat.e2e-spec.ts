import { EventSource } from 'eventsource';
import { SseConnection } from './helpers/sse-connection.js';
import { type TestApp, startTestApp } from './helpers/test-app.js';

describe('GET /stream (the original demo)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ VITALS_INTERVAL_MS: '250' });
  });

  afterAll(async () => {
    await t.app.close();
  });

  it('should send unnamed events with {cpu, ram} when read with onmessage', async () => {
    const source = new EventSource(`${t.url}/stream`);
    try {
      const payloads = await new Promise<unknown[]>((resolve, reject) => {
        const seen: unknown[] = [];
        source.onmessage = (event) => {
          seen.push(JSON.parse(String(event.data)));
          if (seen.length === 2) {
            resolve(seen);
          }
        };
        source.onerror = () => reject(new Error('EventSource error'));
      });

      payloads.forEach((payload) =>
        expect(payload).toEqual({ cpu: expect.any(Number) as number, ram: 25 }),
      );
    } finally {
      source.close();
    }
  });

  it('should frame events without an event name when read raw', async () => {
    const stream = await SseConnection.open(`${t.url}/stream`);
    try {
      const frames = await stream.nextEvents(2);

      frames.forEach((frame) => expect(frame.event).toBeUndefined());
      expect(Number(frames[1]!.id)).toBeGreaterThan(Number(frames[0]!.id));
    } finally {
      stream.close();
    }
  });
});
