import { createHook } from 'node:async_hooks';
import { mkdtemp, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import {
  DOCKER_API_REQUESTS,
  DockerApiServer,
  fixture,
  fixtureJson,
  json,
} from '../../../test/helpers/docker-api-server.js';
import { eventually } from '../../../test/helpers/eventually.js';
import {
  DockerContainerDirectory,
  type DockerDirectoryOptions,
  NO_DOCKER_SOCKET,
} from './docker-container.directory.js';

// Short enough to keep the suite fast; the defaults are seconds.
const FOLLOWING: DockerDirectoryOptions = {
  timeoutMs: 200,
  debounceMs: 20,
  pollMs: 60_000,
  retryMs: () => 50,
};
const POLLING: DockerDirectoryOptions = { ...FOLLOWING, pollMs: 100 };

const WEB = '13c7554ff84b';
const WEB_ID = '13c7554ff84bd5ff04d7eca768ac4cf2944564d3afa57e6ec899130245019b4e';
const CACHE = 'dd5755eb2b33';
const API = 'ae59d5d8aa27';
const EVENTS = fixture('events.ndjson').split('\n');
const HEALTH_CHECK = `${EVENTS.slice(0, 3).join('\n')}\n`;
const API_STARTED = `${EVENTS.slice(3, 5).join('\n')}\n`;

// The timers the directory and its client start (polling, backoff, debounce, request timeouts),
// told from others (the test's, node:http's own) by the code that created them.
function ownTimers() {
  const live = new Set<number>();
  const hook = createHook({
    init(id, type) {
      const limit = Error.stackTraceLimit;
      Error.stackTraceLimit = 50;
      const stack = new Error().stack ?? '';
      Error.stackTraceLimit = limit;
      if (type === 'Timeout' && /docker-(container\.directory|api\.client)\.ts/.test(stack)) {
        live.add(id);
      }
    },
    destroy: (id) => live.delete(id),
  }).enable();
  return { alive: () => live.size, disable: () => hook.disable() };
}

describe('DockerContainerDirectory against a unix-socket server replaying recorded answers', () => {
  let dir: string;
  let api: DockerApiServer;
  let directory: DockerContainerDirectory | undefined;
  let warn: jest.SpiedFunction<Logger['warn']>;
  let log: jest.SpiedFunction<Logger['log']>;

  const start = async (options: DockerDirectoryOptions, path: string | undefined = api.path) => {
    directory = new DockerContainerDirectory(path, options);
    await directory.start();
    return directory;
  };
  const startLater = () =>
    api.reply(
      '/containers/json',
      json([
        ...fixtureJson<unknown[]>('containers.json'),
        fixtureJson('container-started-later.json'),
      ]),
    );
  const logged = (text: string) =>
    log.mock.calls.filter(([message]) => String(message).includes(text)).length;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vitals-docker-'));
    api = await DockerApiServer.start(join(dir, 'docker.sock'));
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'debug').mockImplementation(() => undefined);
  });

  afterEach(async () => {
    await directory?.stop();
    directory = undefined;
    await api.close();
    await rm(dir, { recursive: true, force: true });
    // Whatever the test did, nothing but GETs on the three fixed paths reached the daemon.
    expect(api.requests.filter((line) => !DOCKER_API_REQUESTS.includes(line))).toEqual([]);
  });

  describe('at start', () => {
    it('should name every running container with its image and runtime when Docker answers', async () => {
      const names = await start(FOLLOWING);

      expect(names.lookup(WEB)).toEqual({
        name: 'shop-web-1',
        image: 'nginx:1.27',
        runtime: 'docker',
      });
      expect(names.lookup(WEB_ID)).toEqual(names.lookup(WEB));
      expect(names.lookup(CACHE)).toEqual({
        name: 'cache',
        image: 'redis:7.4-alpine',
        runtime: 'docker',
      });
      expect(names.lookup('0123456789ab')).toBeUndefined();
      expect(log.mock.calls).toEqual([
        [`Naming containers from Docker 27.3.1 at ${api.path}: 4 running, updated on its events`],
      ]);
      expect(warn).not.toHaveBeenCalled();
    });

    it('should say podman when Podman answers on the socket', async () => {
      api.reply('/version', json(fixtureJson('podman-version.json')));
      api.reply('/containers/json', json(fixtureJson('podman-containers.json')));

      const names = await start(FOLLOWING);

      expect(names.lookup('02ae13fb9fef')).toEqual({
        name: 'shop_web_1',
        image: 'docker.io/library/nginx:1.27',
        runtime: 'podman',
      });
      expect(logged('Naming containers from Podman 4.9.3')).toBe(1);
    });

    it('should say once that containers go by id, and ask nothing, when there is no socket', async () => {
      const names = new DockerContainerDirectory(undefined, FOLLOWING);
      directory = names;
      await names.start();

      expect(names.lookup(WEB)).toBeUndefined();
      expect(log.mock.calls).toEqual([[NO_DOCKER_SOCKET]]);
      expect(api.requests).toEqual([]);
    });
  });

  describe('when containers change', () => {
    it('should learn a container started later from its events, with one list per burst and none for health checks', async () => {
      const names = await start(FOLLOWING);
      const lists = api.count('/containers/json');

      api.emit(HEALTH_CHECK);
      await sleep(100);
      const afterHealthCheck = api.count('/containers/json');
      startLater();
      api.emit(API_STARTED);
      await eventually(() => names.lookup(API) !== undefined, 2000, 10);
      await sleep(100);

      expect(afterHealthCheck).toBe(lists);
      expect(names.lookup(API)).toEqual({
        name: 'shop-api-1',
        image: 'shop-api',
        runtime: 'docker',
      });
      expect(api.count('/containers/json')).toBe(lists + 1);
    });

    it('should learn a container started later by polling when the events endpoint answers 404', async () => {
      api.reply('/events', json({ message: 'page not found' }, 404));
      const names = await start(POLLING);

      startLater();
      await eventually(() => names.lookup(API) !== undefined, 2000, 10);
      // The stream is tried again meanwhile (with backoff).
      await eventually(() => api.count('/events') > 2, 2000, 10);

      expect(names.lookup(API)?.name).toBe('shop-api-1');
      expect(log.mock.calls).toEqual([
        [`Naming containers from Docker 27.3.1 at ${api.path}: 4 running, read every 0.1 s`],
      ]);
      expect(warn).not.toHaveBeenCalled();
    });

    it('should poll while the events stream is closed and stop polling once it is open again', async () => {
      const names = await start(POLLING);

      // The daemon restarts its API: the stream ends and cannot be opened again for a while.
      api.reply('/events', json({ message: 'page not found' }, 404));
      api.endStreams();
      startLater();
      await eventually(() => names.lookup(API) !== undefined, 2000, 10);
      api.reply('/events', 'stream');
      await eventually(() => api.openStreams === 1, 2000, 10);
      // The list read on reopening, then none: polling has stopped.
      await sleep(150);
      const lists = api.count('/containers/json');
      await sleep(350);

      expect(names.lookup(API)?.name).toBe('shop-api-1');
      expect(api.count('/containers/json')).toBe(lists);
      expect(warn).not.toHaveBeenCalled();
    });
  });

  describe('when the API fails', () => {
    it('should name nothing and warn once when the socket file does not exist', async () => {
      const missing = join(dir, 'missing.sock');
      const names = await start({ ...POLLING, pollMs: 50, retryMs: () => 20 }, missing);
      await sleep(300);

      expect(names.lookup(WEB)).toBeUndefined();
      expect(warn.mock.calls).toEqual([
        [
          `Docker API at ${missing} unavailable (GET /version: connect ENOENT ${missing}): ` +
            'containers are listed by id, without names; retrying every 0.05 s',
        ],
      ]);
    });

    it('should warn once while nobody listens on the socket file, and log once when the daemon is back', async () => {
      const stale = join(dir, 'stale.sock');
      api.leaveSocketFile(stale);
      await api.close();
      const names = await start(POLLING, stale);
      await sleep(300);
      const whileDown = names.lookup(WEB);

      await unlink(stale);
      api = await DockerApiServer.start(stale);
      await eventually(() => names.lookup(WEB) !== undefined, 2000, 10);
      await sleep(300);

      expect(whileDown).toBeUndefined();
      expect(warn.mock.calls).toEqual([
        [
          `Docker API at ${stale} unavailable (GET /version: connect ECONNREFUSED ${stale}): ` +
            'containers are listed by id, without names; retrying every 0.1 s',
        ],
      ]);
      expect(logged(`Docker 27.3.1 at ${stale} answers again: 4 containers named`)).toBe(1);
      expect(names.lookup(WEB)?.name).toBe('shop-web-1');
    });

    it('should keep the names last listed, warn once and stop at once when the daemon stops answering', async () => {
      const names = await start(POLLING);

      api.reply('/version', 'hang').reply('/containers/json', 'hang');
      api.emit(API_STARTED);
      await eventually(() => warn.mock.calls.length > 0, 2000, 10);
      // Several polls, each timing out.
      await sleep(600);
      const stopping = performance.now();
      await names.stop();

      expect(performance.now() - stopping).toBeLessThan(500);
      expect(names.lookup(WEB)?.name).toBe('shop-web-1');
      expect(warn.mock.calls).toEqual([
        [
          `Docker API at ${api.path} unavailable (GET /containers/json: no answer in 200 ms): ` +
            'keeping the names of the 4 containers it listed last; retrying every 0.1 s',
        ],
      ]);
      expect(api.count('/version')).toBeGreaterThan(1);
    });

    it('should start within a few timeouts and name nothing when the daemon never answers', async () => {
      api.reply('/version', 'hang').reply('/containers/json', 'hang').reply('/events', 'hang');
      const starting = performance.now();

      const names = await start(POLLING);

      // The events stream's timeout, then /version's.
      expect(performance.now() - starting).toBeLessThan(1000);
      expect(names.lookup(WEB)).toBeUndefined();
      expect(warn.mock.calls).toEqual([
        [
          `Docker API at ${api.path} unavailable (GET /version: no answer in 200 ms): ` +
            'containers are listed by id, without names; retrying every 0.1 s',
        ],
      ]);
    });

    it.each([
      ['text that is not JSON', { type: 'application/json', body: 'OK' }, 'not JSON'],
      ['an HTML page', { type: 'text/html', body: '<html></html>' }, 'not JSON (text/html)'],
      ['JSON of the wrong shape', json({ Containers: [] }), 'not a list'],
      [
        'larger than the limit',
        json(Array(800).fill(fixtureJson('container-started-later.json'))),
        'too large (over 64 KiB)',
      ],
    ] as const)(
      'should name nothing and warn once with the reason when the list is %s',
      async (_, reply, reason) => {
        api.reply('/containers/json', reply);

        const names = await start({ ...POLLING, maxBytes: 64 * 1024 });
        await sleep(300);

        expect(names.lookup(WEB)).toBeUndefined();
        expect(warn.mock.calls).toEqual([
          [
            `Docker API at ${api.path} unavailable (GET /containers/json: ${reason}): ` +
              'containers are listed by id, without names; retrying every 0.1 s',
          ],
        ]);
      },
    );

    it('should log one line per change of state, not one per retry', async () => {
      const garbage = { type: 'application/json', body: '<garbage>' };
      await start(POLLING);

      api.reply('/containers/json', garbage);
      api.endStreams();
      await eventually(() => warn.mock.calls.length === 1, 2000, 10);
      await sleep(400);
      api.reply('/containers/json', json(fixtureJson('containers.json')));
      await eventually(() => logged('answers again') === 1, 2000, 10);
      await sleep(400);
      // Following events again, not polling: the next list comes with a change.
      api.reply('/containers/json', garbage);
      api.emit(API_STARTED);
      await eventually(() => warn.mock.calls.length === 2, 2000, 10);
      await sleep(400);

      expect(warn).toHaveBeenCalledTimes(2);
      expect(warn.mock.calls.map(([message]) => String(message))).toEqual([
        expect.stringContaining('keeping the names of the 4 containers it listed last'),
        expect.stringContaining('keeping the names of the 4 containers it listed last'),
      ]);
      expect(logged('Naming containers')).toBe(1);
      expect(logged('answers again')).toBe(1);
    });
  });

  describe('stop()', () => {
    it('should leave no timer, stream or connection open, even with a request in flight', async () => {
      const timers = ownTimers();
      const names = await start(POLLING);
      api.reply('/version', 'hang').reply('/containers/json', 'hang');
      api.emit(API_STARTED);
      // Polling, with the events stream open and a list hanging.
      await eventually(() => warn.mock.calls.length > 0, 2000, 10);
      await sleep(50);
      const running = timers.alive();

      await names.stop();
      await new Promise((resolve) => setImmediate(resolve));

      expect(running).toBeGreaterThan(0);
      expect(timers.alive()).toBe(0);
      timers.disable();
      // Resolves only once the directory has closed every connection of its own.
      await expect(api.close({ force: false, waitMs: 1000 })).resolves.toBeUndefined();
    });
  });
});
