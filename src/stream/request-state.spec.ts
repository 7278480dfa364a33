import { once } from 'node:events';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { releaseRequestState } from './request-state.js';

// A real server and client: the response must go on streaming as before once released.
describe('releaseRequestState', () => {
  let server: http.Server;
  let opened: Promise<[IncomingMessage, ServerResponse]>;

  beforeEach(async () => {
    server = http.createServer();
    opened = once(server, 'request') as Promise<[IncomingMessage, ServerResponse]>;
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
  });

  afterEach(async () => {
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  });

  it('should drop the routing state, keep the head, and leave the stream writable', async () => {
    const { port } = server.address() as AddressInfo;
    const received: string[] = [];
    const reply = new Promise<IncomingMessage>((resolve) =>
      http.get({ port, host: '127.0.0.1', path: '/api/v1/stream' }, resolve),
    );
    const [req, res] = await opened;
    // What Express's router leaves on a routed request.
    const routed = req as unknown as Record<string, unknown>;
    routed.next = () => undefined;
    routed.params = { id: '1' };
    routed.originalUrl = '/api/v1/stream';
    (res as unknown as Record<string, unknown>).locals = { user: 'x' };
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.writeHead(200, { 'Content-Type': 'text/event-stream' });
    res.write('\n');
    const head = (res as unknown as { _header: string })._header;

    releaseRequestState(req, res);
    res.write('data: 1\n\n');

    const response = await reply;
    response.setEncoding('utf8').on('data', (chunk: string) => received.push(chunk));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(received.join('')).toBe('\ndata: 1\n\n');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(routed.next).toBeUndefined();
    expect(routed.params).toBeUndefined();
    expect(routed.originalUrl).toBeUndefined();
    expect((res as unknown as Record<string, unknown>).locals).toBeUndefined();
    expect((res as unknown as { _header: string })._header).toBe(head);
    expect(res.headersSent).toBe(true);
    expect(res.getHeader('content-type')).toBe('text/event-stream');
    expect(res.writable).toBe(true);
  });
});
