import { type IncomingMessage, request } from 'node:http';
import type { ContainerRuntime } from '../../hub/dto/container-stats.dto.js';

/** The runtimes that serve the Docker Engine API on a socket. */
export type DockerRuntime = Extract<ContainerRuntime, 'docker' | 'podman'>;

/** What answers on the socket (`GET /version`). */
export interface DockerVersion {
  runtime: DockerRuntime;
  version: string;
  apiVersion: string;
}

/** A running container (`GET /containers/json`). */
export interface DockerContainer {
  /** The full id, 64 hex characters. */
  id: string;
  /** Its own name, as `docker ps` shows it: the first of `names` without a "/" in it. */
  name: string;
  /** Its names without Docker's leading "/"; legacy links add aliases such as "web/db". */
  names: string[];
  image: string;
  labels: Record<string, string>;
  state: string;
}

/** One entry of the events stream: only what tells that something changed. */
export interface DockerEvent {
  type: string;
  action: string;
  /** The container's full id, when the event names one. */
  id: string | undefined;
}

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

const FULL_ID = /^[0-9a-f]{64}$/;

type Json = Record<string, unknown>;
const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isStringList = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');
const isStringMap = (value: unknown): value is Record<string, string> =>
  isRecord(value) && Object.values(value).every((item) => typeof item === 'string');

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

function parseVersion(body: unknown): DockerVersion {
  if (!isRecord(body) || typeof body.Version !== 'string' || typeof body.ApiVersion !== 'string') {
    throw new Error('GET /version: not a version (no Version or ApiVersion)');
  }
  // Components came with Engine 17.06; older daemons are Docker.
  const components = body.Components ?? [];
  if (!Array.isArray(components) || !components.every((c) => isRecord(c))) {
    throw new Error('GET /version: Components is not a list of objects');
  }
  const podman = components.some((component) => component.Name === 'Podman Engine');
  return {
    runtime: podman ? 'podman' : 'docker',
    version: body.Version,
    apiVersion: body.ApiVersion,
  };
}

function parseContainers(body: unknown): DockerContainer[] {
  if (!Array.isArray(body)) {
    throw new Error('GET /containers/json: not a list');
  }
  return body.map((item: unknown, index) => {
    const problem = (what: string) =>
      new Error(`GET /containers/json: container ${index}: ${what}`);
    if (!isRecord(item)) {
      throw problem('not an object');
    }
    const { Id: id, Names: names, Image: image, Labels: labels, State: state } = item;
    if (typeof id !== 'string' || !FULL_ID.test(id)) {
      throw problem('Id is not 64 hex characters');
    }
    if (!isStringList(names) || names.length === 0) {
      throw problem('Names is not a list of names');
    }
    if (typeof image !== 'string') {
      throw problem('Image is not a string');
    }
    // Podman answers null for a container without labels.
    if (labels !== null && labels !== undefined && !isStringMap(labels)) {
      throw problem('Labels is not a map of strings');
    }
    if (typeof state !== 'string') {
      throw problem('State is not a string');
    }
    const stripped = names.map((name) => name.replace(/^\//, ''));
    return {
      id,
      name: stripped.find((name) => !name.includes('/')) ?? stripped[0] ?? id.slice(0, 12),
      names: stripped,
      image,
      labels: labels ?? {},
      state,
    };
  });
}

function parseEvent(line: string): DockerEvent {
  let event: unknown;
  try {
    event = JSON.parse(line);
  } catch {
    throw new Error('an event is not JSON');
  }
  if (!isRecord(event) || typeof event.Type !== 'string' || typeof event.Action !== 'string') {
    throw new Error('an event has no Type or Action');
  }
  const actor = event.Actor;
  const id = isRecord(actor) && typeof actor.ID === 'string' ? actor.ID : undefined;
  return { type: event.Type, action: event.Action, id };
}
