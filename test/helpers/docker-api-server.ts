import { linkSync, readFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** How the server answers a path. */
export type Reply =
  /** `chunked`: without Content-Length, as a stream of unknown length. */
  | { status?: number; type?: string; body: string; chunked?: boolean }
  /** 200 with the headers flushed, held open; emit() writes events to it. */
  | 'stream'
  /** Accepted and never answered. */
  | 'hang'
  /** The connection dropped without an answer. */
  | 'hangup';

/** A recorded answer under test/fixtures/docker-api/, as text. */
export const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/docker-api/${name}`, import.meta.url), 'utf8');

/** A recorded answer under test/fixtures/docker-api/, parsed. */
export const fixtureJson = <T = unknown>(name: string): T => JSON.parse(fixture(name)) as T;

/** `value` as the daemons answer it: compact JSON and a newline (Go's json.Encoder). */
export const json = (value: unknown, status = 200): Reply => ({
  status,
  type: 'application/json',
  body: `${JSON.stringify(value)}\n`,
});

/** The three paths vitals may ask for, as they reach the server. */
export const DOCKER_API_REQUESTS = [
  'GET /version',
  'GET /containers/json',
  'GET /events?filters=%7B%22type%22%3A%5B%22container%22%5D%7D',
];

/**
 * A Docker Engine API on a real unix socket, replaying recorded answers (Docker 27.3.1 by
 * default) and holding events streams open for the test to write to. It records every request
 * line, so a test can check what reached it.
 */
export class DockerApiServer {
  /** `METHOD /path?query` of every request, in order. */
  readonly requests: string[] = [];
  private readonly routes = new Map<string, Reply>([
    ['/version', json(fixtureJson('version.json'))],
    ['/containers/json', json(fixtureJson('containers.json'))],
    ['/events', 'stream'],
  ]);
  private readonly streams = new Set<ServerResponse>();
  private readonly sockets = new Set<Socket>();
  private readonly server: Server;
  private closed = false;

  private constructor(readonly path: string) {
    this.server = createServer((req, res) => {
      this.requests.push(`${req.method} ${req.url}`);
      const reply = this.routes.get((req.url ?? '').split('?')[0] ?? '') ?? {
        status: 404,
        type: 'application/json',
        body: '{"message":"page not found"}\n',
      };
      if (reply === 'hang') {
        return;
      }
      if (reply === 'hangup') {
        req.socket.destroy();
        return;
      }
      if (reply === 'stream') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.flushHeaders();
        this.streams.add(res);
        res.on('close', () => this.streams.delete(res));
        return;
      }
      res.writeHead(reply.status ?? 200, {
        ...(reply.type ? { 'content-type': reply.type } : {}),
        ...(reply.chunked ? {} : { 'content-length': Buffer.byteLength(reply.body) }),
      });
      res.end(reply.body);
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  /** Listens on the unix socket `path`, or on TCP (as a socket proxy does) given a port. */
  static async start(path: string | { host: string; port: number }): Promise<DockerApiServer> {
    const api = new DockerApiServer(typeof path === 'string' ? path : `${path.host}:${path.port}`);
    await new Promise<void>((resolve, reject) => {
      api.server.once('error', reject);
      if (typeof path === 'string') {
        api.server.listen(path, resolve);
      } else {
        api.server.listen(path.port, path.host, resolve);
      }
    });
    return api;
  }

  /** The TCP port, when listening on one. */
  get port(): number {
    const address = this.server.address();
    return typeof address === 'object' && address !== null ? address.port : 0;
  }

  /** Answers `pathname` (without the query) with `reply` from now on. */
  reply(pathname: string, reply: Reply): this {
    this.routes.set(pathname, reply);
    return this;
  }

  /** Requests for `pathname` so far. */
  count(pathname: string): number {
    return this.requests.filter((line) => line.split(' ')[1]?.split('?')[0] === pathname).length;
  }

  /** The events streams open now. */
  get openStreams(): number {
    return this.streams.size;
  }

  /** Writes `text` (newline-delimited events) to every open events stream. */
  emit(text: string): void {
    this.streams.forEach((res) => res.write(text));
  }

  /** Ends every open events stream, as a restarting daemon does. */
  endStreams(): void {
    this.streams.forEach((res) => res.end());
  }

  /**
   * A second name for the socket (a hard link): after close() it stays behind, a socket file
   * nobody listens on, as a stopped daemon leaves it.
   */
  leaveSocketFile(path: string): void {
    linkSync(this.path, path);
  }

  /**
   * Stops listening. With `force`, drops every connection first; without, waits for the
   * clients to close theirs (what a client's stop() must do), failing after `waitMs`.
   */
  async close({ force = true, waitMs = 2000 } = {}): Promise<void> {
    if (this.closed) {
      return;
    }
    this.closed = true;
    if (force) {
      this.sockets.forEach((socket) => socket.destroy());
    }
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        new Promise<void>((resolve, reject) =>
          this.server.close((error) => (error ? reject(error) : resolve())),
        ),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`${this.sockets.size} connections still open`)),
            waitMs,
          );
        }),
      ]);
    } finally {
      clearTimeout(timer);
      this.sockets.forEach((socket) => socket.destroy());
    }
  }
}
