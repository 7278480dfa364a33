import { type IncomingMessage, request } from 'node:http';
import {
  type DockerContainer,
  type DockerEvent,
  type DockerVersion,
  isRecord,
  parseContainers,
  parseEvent,
  parseVersion,
} from './docker-api.parser.js';

/** An open `GET /events` stream. */
export interface DockerEventStream {
  /** Resolves, never rejects, once the stream has ended, with why (also after close()). */
  readonly ended: Promise<Error>;
  close(): void;
}

export interface DockerApiLimits {
  /** How long a request may take (for the events stream: until its headers arrive). */
  timeoutMs: number;
  /** The largest answer read (for the events stream: the largest line). */
  maxBytes: number;
}

// One request on the socket, ended once: by `fail` (which destroys it) or by `settle`.
interface Exchange {
  fail: (error: Error) => void;
  /** Ends it without error; false when it had already ended. */
  settle: () => boolean;
  /** Stops its timeout (a stream has opened); false when it had already ended. */
  open: () => boolean;
}

// Fixed paths, never built from input. Unversioned: the daemon answers with its own API
// version, and Podman serves the same paths.
const VERSION_PATH = '/version';
const CONTAINERS_PATH = '/containers/json';
const EVENTS_PATH = `/events?filters=${encodeURIComponent(JSON.stringify({ type: ['container'] }))}`;

// An error answer's message is read only this far, and logged only this long.
const ERROR_BODY_BYTES = 64 * 1024;
const MESSAGE_CHARS = 200;

// Text from the daemon ends up in a log line: one line, bounded.
const printable = (text: string): string =>
  Array.from(text, (char) => (char < ' ' || char === '\u007f' ? ' ' : char))
    .join('')
    .replace(/ +/g, ' ')
    .trim()
    .slice(0, MESSAGE_CHARS);

/**
 * The one thing that talks to the Docker (or Podman) API socket: GET requests on three fixed
 * paths over node:http. Every request has a timeout and a size bound, and every answer is
 * checked before use, so a hung, absent or confused daemon is an Error, never a hang or a crash.
 */
export class DockerApiClient {
  // What close() must end: the requests in flight and the open event streams.
  private readonly inFlight = new Set<(error: Error) => void>();
  private closed = false;

  // Where requests go: the unix socket, or a socket proxy's host and port.
  private readonly target: { socketPath: string } | { host: string; port: number };

  /** `socketPath`: a unix socket's path, or `http://host:port` (a read-only socket proxy). */
  constructor(
    readonly socketPath: string,
    private readonly limits: DockerApiLimits = { timeoutMs: 2000, maxBytes: 8 * 1024 * 1024 },
  ) {
    if (socketPath.startsWith('http://')) {
      const url = new URL(socketPath);
      this.target = { host: url.hostname, port: Number(url.port || 80) };
    } else {
      this.target = { socketPath };
    }
  }

  /** Which runtime answers, from `GET /version`: Podman names its "Podman Engine" component. */
  async version(): Promise<DockerVersion> {
    return parseVersion(await this.getJson('GET /version', VERSION_PATH));
  }

  /** The running containers, from `GET /containers/json`. */
  async containers(): Promise<DockerContainer[]> {
    return parseContainers(await this.getJson('GET /containers/json', CONTAINERS_PATH));
  }

  /**
   * Opens `GET /events` for containers: resolves once the daemon has answered 200, then calls
   * `onEvent` for each event until the stream ends. A line that is not an event ends it.
   */
  events(onEvent: (event: DockerEvent) => void): Promise<DockerEventStream> {
    return new Promise((resolve, reject) => {
      let resolveEnded: (error: Error) => void = () => undefined;
      const ended = new Promise<Error>((resolveIt) => (resolveEnded = resolveIt));
      let open = false;
      const exchange = this.send(
        EVENTS_PATH,
        (res) => {
          void this.refusal(res).then((problem) => {
            if (problem) {
              return exchange.fail(problem);
            }
            // Events may be hours apart: only the wait for the answer is timed.
            if (exchange.open()) {
              open = true;
              resolve({ ended, close: () => exchange.fail(new Error('closed')) });
              this.readLines(res, onEvent, exchange.fail);
            }
          }, exchange.fail);
        },
        (error) => {
          resolveEnded(error);
          if (!open) {
            reject(new Error(`GET /events: ${error.message}`));
          }
        },
      );
    });
  }

  /** Ends every request in flight and every open stream; later requests fail at once. */
  close(): void {
    this.closed = true;
    for (const fail of [...this.inFlight]) {
      fail(new Error('closed'));
    }
  }

  private getJson(label: string, path: string): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const exchange = this.send(
        path,
        (res) => {
          this.refusal(res)
            .then((problem) => {
              if (problem) {
                throw problem;
              }
              return this.readAll(res, this.limits.maxBytes);
            })
            .then((text) => {
              const body = parseJson(text);
              if (exchange.settle()) {
                resolve(body);
              }
            })
            .catch((error: Error) => exchange.fail(error));
        },
        (error) => reject(new Error(`${label}: ${error.message}`)),
      );
    });
  }

  // A GET on the socket. Its end comes once, by `fail` (an error, its timeout or close(),
  // which also destroy the request) or by `settle`; `open` stops only the timeout.
  private send(
    path: string,
    onResponse: (res: IncomingMessage) => void,
    onFail: (error: Error) => void,
  ): Exchange {
    if (this.closed) {
      onFail(new Error('closed'));
      return { fail: () => undefined, settle: () => false, open: () => false };
    }
    const req = request({
      ...this.target,
      path,
      method: 'GET',
      // A connection per request, closed after it: nothing stays open between requests.
      agent: false,
      headers: { accept: 'application/json' },
    });
    let over = false;
    const end = () => {
      const first = !over;
      over = true;
      clearTimeout(timer);
      this.inFlight.delete(exchange.fail);
      return first;
    };
    const exchange: Exchange = {
      fail: (error) => {
        if (end()) {
          req.destroy();
          onFail(error);
        }
      },
      settle: end,
      open: () => {
        clearTimeout(timer);
        return !over;
      },
    };
    const timer = setTimeout(
      () => exchange.fail(new Error(`no answer in ${this.limits.timeoutMs} ms`)),
      this.limits.timeoutMs,
    );
    this.inFlight.add(exchange.fail);
    req.on('error', exchange.fail);
    req.on('response', onResponse);
    req.end();
    return exchange;
  }

  // Why an answer is not one to read: a status other than 200 (with the daemon's message) or
  // a body that is not JSON (an HTML page from whatever else listens there); else undefined.
  private async refusal(res: IncomingMessage): Promise<Error | undefined> {
    if (res.statusCode !== 200) {
      const status = `HTTP ${res.statusCode} ${res.statusMessage ?? ''}`.trim();
      const message = await this.readAll(res, ERROR_BODY_BYTES)
        .then((text) => {
          const body: unknown = JSON.parse(text);
          return isRecord(body) && typeof body.message === 'string' ? printable(body.message) : '';
        })
        .catch(() => '');
      return new Error(message ? `${status}: ${message}` : status);
    }
    const type = res.headers['content-type'];
    if (type !== undefined && !/\bjson\b/i.test(type)) {
      return new Error(`not JSON (${printable(type)})`);
    }
    return undefined;
  }

  private readAll(res: IncomingMessage, maxBytes: number): Promise<string> {
    return new Promise((resolve, reject) => {
      if (Number(res.headers['content-length']) > maxBytes) {
        return reject(tooLarge(maxBytes));
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) {
          reject(tooLarge(maxBytes));
          res.destroy();
        } else {
          chunks.push(chunk);
        }
      });
      res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      res.on('error', reject);
      // After 'end' this changes nothing; before it, the daemon hung up mid-answer.
      res.on('close', () => reject(new Error('the connection closed mid-answer')));
    });
  }

  // Newline-delimited JSON, as Docker and Podman write their events.
  private readLines(
    res: IncomingMessage,
    onEvent: (event: DockerEvent) => void,
    end: (error: Error) => void,
  ): void {
    let pending = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      try {
        if (pending.length > this.limits.maxBytes) {
          throw tooLarge(this.limits.maxBytes);
        }
        for (const line of lines) {
          if (line.trim() !== '') {
            onEvent(parseEvent(line));
          }
        }
      } catch (error) {
        end(error as Error);
      }
    });
    res.on('error', end);
    res.on('close', () => end(new Error('the events stream ended')));
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new Error('not JSON');
  }
}

function tooLarge(maxBytes: number): Error {
  const size =
    maxBytes % 2 ** 20 === 0
      ? `${maxBytes / 2 ** 20} MiB`
      : maxBytes % 1024 === 0
        ? `${maxBytes / 1024} KiB`
        : `${maxBytes} bytes`;
  return new Error(`too large (over ${size})`);
}
