import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import { errorMessage } from '../../common/error-message.js';
import { DockerApiClient, type DockerEventStream } from './docker-api.client.js';
import type { DockerEvent, DockerRuntime, DockerVersion } from './docker-api.parser.js';

/** What start() logs when there is no socket to ask (unset and absent, or `off`). */
export const NO_DOCKER_SOCKET =
  'No Docker or Podman API socket (VITALS_DOCKER_SOCKET off, or unset and ' +
  '/var/run/docker.sock absent): containers are listed by id, without names';

/** What the runtime's API tells about a container that its cgroup does not. */
export interface DockerContainerName {
  name: string;
  image: string;
  runtime: DockerRuntime;
}

export interface DockerDirectoryOptions {
  /** How long one request may take. */
  timeoutMs?: number;
  /** The largest answer read. */
  maxBytes?: number;
  /** How long after a container event the list is read again (a burst of events, one list). */
  debounceMs?: number;
  /** How often the list is read while there is no events stream (or the last read failed). */
  pollMs?: number;
  /** The wait before reopening the events stream after its `attempt`-th failure in a row. */
  retryMs?: (attempt: number) => number;
}

const DEFAULTS: Required<DockerDirectoryOptions> = {
  timeoutMs: 2000,
  maxBytes: 8 * 1024 * 1024,
  debounceMs: 250,
  pollMs: 10_000,
  // 1 s, 2 s, 4 s … at most a minute: the list is polled meanwhile, so names still follow.
  retryMs: (attempt) => Math.min(60_000, 1000 * 2 ** Math.min(attempt - 1, 6)),
};

// The events that change which containers run or what they are called (Podman's "remove" is
// Docker's "destroy"). Health checks bring exec_* and health_status events that change nothing
// and would otherwise re-read the list every few seconds.
const CHANGES = new Set(['create', 'start', 'restart', 'rename', 'die', 'destroy', 'remove']);

/**
 * Container names and images from the Docker or Podman API, by 12-hex id, for the sampler to
 * look up at every tick without waiting. The list is read at start and again when the events
 * stream says a container changed; without the stream (an old proxy, a broken connection) it is
 * polled, and the stream reopened with backoff. When the API fails, the names last listed stay
 * (ids never change names except by rename) and one warning says so; one line says when it
 * answers again. Without a socket every lookup is undefined: containers go by id.
 */
export class DockerContainerDirectory {
  private readonly logger = new Logger(DockerContainerDirectory.name);
  private readonly options: Required<DockerDirectoryOptions>;
  private readonly client: DockerApiClient | undefined;
  private names = new Map<string, DockerContainerName>();
  private daemon: DockerVersion | undefined;
  private health: 'unknown' | 'working' | 'failing' = 'unknown';
  private running = false;
  private readonly stopping = new AbortController();
  private watching: Promise<void> | undefined;
  private stream: DockerEventStream | undefined;
  private poller: NodeJS.Timeout | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly socketPath: string | undefined,
    options: DockerDirectoryOptions = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
    this.client =
      socketPath === undefined
        ? undefined
        : new DockerApiClient(socketPath, {
            timeoutMs: this.options.timeoutMs,
            maxBytes: this.options.maxBytes,
          });
  }

  /**
   * Starts following the API (once). Resolves when the first list has been read or has failed,
   * so the first tick can have names; never rejects, and waits at most a few timeouts.
   */
  async start(): Promise<void> {
    if (!this.client) {
      this.logger.log(NO_DOCKER_SOCKET);
      return;
    }
    if (this.running || this.stopping.signal.aborted) {
      return;
    }
    this.running = true;
    let ready: () => void = () => undefined;
    const first = new Promise<void>((resolve) => (ready = resolve));
    this.watching = this.watch(this.client, ready);
    await first;
  }

  /** Ends the stream, the timers and every request, so nothing keeps the process alive. */
  async stop(): Promise<void> {
    this.running = false;
    this.stopping.abort();
    clearTimeout(this.debounce);
    this.stopPolling();
    this.client?.close();
    await Promise.all([this.watching, this.refreshing]);
  }

  /** The container's name, image and runtime by its id (12 hex characters or the full id). */
  lookup(id: string): DockerContainerName | undefined {
    return this.names.get(id.slice(0, 12));
  }

  // Follows the events stream: on each open the list is read (what changed while not
  // following); while it is closed the list is polled and the stream reopened with backoff.
  private async watch(client: DockerApiClient, ready: () => void): Promise<void> {
    let attempt = 0;
    try {
      while (this.running) {
        let openedAt: number | undefined;
        let reason: Error;
        try {
          const stream = await client.events((event) => this.onEvent(event));
          openedAt = performance.now();
          this.stream = stream;
          this.logger.debug(`Following container events at ${this.socketPath}`);
          await this.refresh();
          ready();
          reason = await stream.ended;
        } catch (error) {
          reason = error instanceof Error ? error : new Error(errorMessage(error));
          // The first list does not wait for the poller.
          if (attempt === 0 && this.running) {
            await this.refresh();
          }
          ready();
        }
        this.stream = undefined;
        if (!this.running) {
          break;
        }
        // A stream that stayed open a while was fine: the backoff starts over.
        if (openedAt !== undefined && performance.now() - openedAt >= this.options.pollMs) {
          attempt = 0;
        }
        attempt++;
        this.logger.debug(`No container events (${reason.message}): polling the list`);
        this.startPolling();
        // Cut short by stop().
        await sleep(this.options.retryMs(attempt), undefined, {
          signal: this.stopping.signal,
        }).catch(() => undefined);
      }
    } finally {
      ready();
    }
  }

  private onEvent(event: DockerEvent): void {
    if (event.type !== 'container' || !CHANGES.has(event.action)) {
      return;
    }
    if (this.debounce === undefined && this.running) {
      this.debounce = setTimeout(() => {
        this.debounce = undefined;
        void this.refresh();
      }, this.options.debounceMs);
    }
  }

  // One list at a time; asked for during one, another follows it (the change may be newer
  // than what the one in flight will see).
  private refresh(): Promise<void> {
    if (this.refreshing) {
      this.again = true;
      return this.refreshing;
    }
    const client = this.client;
    if (!client || !this.running) {
      return Promise.resolve();
    }
    this.refreshing = (async () => {
      do {
        this.again = false;
        await this.list(client);
      } while (this.again && this.running);
    })().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async list(client: DockerApiClient): Promise<void> {
    try {
      // Asked again after a failure: another daemon may answer on the socket now.
      const daemon = this.daemon ?? (await client.version());
      const containers = await client.containers();
      this.daemon = daemon;
      this.names = new Map(
        containers.map(({ id, name, image }) => [
          id.slice(0, 12),
          { name, image, runtime: daemon.runtime },
        ]),
      );
      this.up(daemon);
    } catch (error) {
      if (this.running) {
        this.daemon = undefined;
        this.down(error);
      }
    }
  }

  private up(daemon: DockerVersion): void {
    if (this.stream) {
      this.stopPolling();
    }
    if (this.health === 'working') {
      return;
    }
    const what = `${daemon.runtime === 'podman' ? 'Podman' : 'Docker'} ${daemon.version} at ${this.socketPath}`;
    const updates = this.stream
      ? 'updated on its events'
      : `read every ${this.options.pollMs / 1000} s`;
    this.logger.log(
      this.health === 'failing'
        ? `${what} answers again: ${this.names.size} containers named, ${updates}`
        : `Naming containers from ${what}: ${this.names.size} running, ${updates}`,
    );
    this.health = 'working';
  }

  private down(error: unknown): void {
    this.startPolling();
    if (this.health === 'failing') {
      return;
    }
    const known = this.names.size;
    this.logger.warn(
      `Docker API at ${this.socketPath} unavailable (${errorMessage(error)}): ` +
        (known > 0
          ? `keeping the names of the ${known} containers it listed last`
          : 'containers are listed by id, without names') +
        `; retrying every ${this.options.pollMs / 1000} s`,
    );
    this.health = 'failing';
  }

  private startPolling(): void {
    if (this.poller === undefined && this.running) {
      this.poller = setInterval(() => void this.refresh(), this.options.pollMs);
    }
  }

  private stopPolling(): void {
    clearInterval(this.poller);
    this.poller = undefined;
  }
}
