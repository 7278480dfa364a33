import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DOCKER_API_REQUESTS,
  DockerApiServer,
  fixture,
  fixtureJson,
  json,
} from '../../../test/helpers/docker-api-server.js';
import { eventually } from '../../../test/helpers/eventually.js';
import { DockerApiClient } from './docker-api.client.js';
import type { DockerEvent } from './docker-api.parser.js';

const LIMITS = { timeoutMs: 200, maxBytes: 64 * 1024 };
const CACHE_ID = 'dd5755eb2b3314a8ef51dccdf22c80b930522b3fc9ad153ecfaa1e38a5ddd81b';
const API_ID = 'ae59d5d8aa2788dc9ab4a2661bbd7ecd4aa45c8d24d3ca37b52b7e34c2b6ef6e';

describe('DockerApiClient against a unix-socket server replaying recorded answers', () => {
  let dir: string;
  let api: DockerApiServer;
  let client: DockerApiClient;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vitals-docker-'));
    api = await DockerApiServer.start(join(dir, 'docker.sock'));
    client = new DockerApiClient(api.path, LIMITS);
  });

  afterEach(async () => {
    client.close();
    await api.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('should ask a socket proxy on http://host:port as it asks the socket', async () => {
    const proxy = await DockerApiServer.start({ port: 0, host: '127.0.0.1' });
    const overTcp = new DockerApiClient(`http://127.0.0.1:${proxy.port}`, LIMITS);
    try {
      const containers = await overTcp.containers();

      expect(containers.map((container) => container.name)).toEqual(
        (await client.containers()).map((container) => container.name),
      );
      expect(proxy.requests).toEqual(['GET /containers/json']);
    } finally {
      overTcp.close();
      await proxy.close();
    }
  });

  describe('version()', () => {
    it('should tell Docker when /version names no "Podman Engine" component', async () => {
      await expect(client.version()).resolves.toEqual({
        runtime: 'docker',
        version: '27.3.1',
        apiVersion: '1.47',
      });
    });

    it('should tell Podman when /version names its "Podman Engine" component', async () => {
      api.reply('/version', json(fixtureJson('podman-version.json')));

      await expect(client.version()).resolves.toEqual({
        runtime: 'podman',
        version: '4.9.3',
        apiVersion: '1.41',
      });
    });
  });

  describe('containers()', () => {
    it('should list every running container with its names stripped of the leading "/"', async () => {
      const containers = await client.containers();

      expect(
        containers.map(({ id, name, image, state }) => [id.slice(0, 12), name, image, state]),
      ).toEqual([
        ['13c7554ff84b', 'shop-web-1', 'nginx:1.27', 'running'],
        ['c3f84843a4f1', 'shop-db-1', 'postgres:16.4', 'running'],
        ['dd5755eb2b33', 'cache', 'redis:7.4-alpine', 'running'],
        ['af70c57ead9d', 'worker', 'ghcr.io/acme/worker:2.3.1', 'running'],
      ]);
      expect(containers[0]?.labels).toMatchObject({
        'com.docker.compose.project': 'shop',
        'com.docker.compose.service': 'web',
      });
    });

    it('should name a linked container by its own name when a link alias comes first', async () => {
      const cache = (await client.containers()).find((container) => container.id === CACHE_ID);

      expect(cache).toMatchObject({ name: 'cache', names: ['worker/cache', 'cache'], labels: {} });
    });

    it('should read labels as none when Podman answers null for them', async () => {
      api.reply('/containers/json', json(fixtureJson('podman-containers.json')));

      const containers = await client.containers();

      expect(
        containers.map(({ name, image, labels }) => [name, image, Object.keys(labels).length]),
      ).toEqual([
        ['shop_web_1', 'docker.io/library/nginx:1.27', 10],
        ['toolbox', 'registry.fedoraproject.org/fedora-toolbox:40', 0],
      ]);
    });
  });

  describe('when the answer is not a usable one', () => {
    it('should reject with the status and the daemon message when the status is not 200', async () => {
      // On one line, without control characters: it ends up in a log line.
      api.reply('/containers/json', json({ message: 'Daemon busy.\r\nTry again\u0007' }, 500));

      await expect(client.containers()).rejects.toThrow(
        new Error('GET /containers/json: HTTP 500 Internal Server Error: Daemon busy. Try again'),
      );
    });

    it('should reject an HTML page when something else answers on the socket', async () => {
      api.reply('/version', {
        type: 'text/html; charset=utf-8',
        body: '<!doctype html><html><body>Welcome to nginx!</body></html>',
      });

      await expect(client.version()).rejects.toThrow(
        new Error('GET /version: not JSON (text/html; charset=utf-8)'),
      );
    });

    it.each([
      ['text that is not JSON', '/containers/json', 'OK\n', 'GET /containers/json: not JSON'],
      ['JSON cut short', '/containers/json', fixture('containers.json').slice(0, 500), 'not JSON'],
      ['an object for the list', '/containers/json', '{}', 'GET /containers/json: not a list'],
      [
        'a short Id',
        '/containers/json',
        '[{"Id":"13c7554ff84b","Names":["/web"],"Image":"nginx","State":"running"}]',
        'container 0: Id is not 64 hex characters',
      ],
      [
        'Names as a string',
        '/containers/json',
        `[{"Id":"${API_ID}","Names":"/web","Image":"nginx","State":"running"}]`,
        'container 0: Names is not a list of names',
      ],
      [
        'a label that is a number',
        '/containers/json',
        `[{"Id":"${API_ID}","Names":["/web"],"Image":"nginx","Labels":{"n":1},"State":"running"}]`,
        'container 0: Labels is not a map of strings',
      ],
      ['null for the version', '/version', 'null', 'GET /version: not a version'],
      [
        'Components as an object',
        '/version',
        '{"Version":"27.3.1","ApiVersion":"1.47","Components":{}}',
        'GET /version: Components is not a list of objects',
      ],
    ])('should reject %s', async (_, path, body, message) => {
      api.reply(path, { type: 'application/json', body });

      const answer = path === '/version' ? client.version() : client.containers();

      await expect(answer).rejects.toThrow(message);
    });

    it.each([
      ['with a Content-Length over the limit', false],
      ['growing past the limit without a Content-Length', true],
    ])('should reject an answer %s as too large', async (_, chunked) => {
      const huge = JSON.stringify(Array(800).fill(fixtureJson('container-started-later.json')));
      api.reply('/containers/json', { type: 'application/json', body: huge, chunked });

      await expect(client.containers()).rejects.toThrow(
        new Error('GET /containers/json: too large (over 64 KiB)'),
      );
    });

    it('should reject when the daemon accepts and never answers, after the timeout', async () => {
      api.reply('/version', 'hang');
      const started = performance.now();

      await expect(client.version()).rejects.toThrow(
        new Error('GET /version: no answer in 200 ms'),
      );
      expect(performance.now() - started).toBeLessThan(1000);
    });

    it('should reject when the daemon drops the connection without an answer', async () => {
      api.reply('/version', 'hangup');

      await expect(client.version()).rejects.toThrow('GET /version: socket hang up');
    });

    it('should reject with ENOENT when the socket file does not exist', async () => {
      const absent = new DockerApiClient(join(dir, 'missing.sock'), LIMITS);

      await expect(absent.version()).rejects.toThrow(`GET /version: connect ENOENT ${dir}`);
    });

    it('should reject with ECONNREFUSED when nobody listens on the socket file', async () => {
      const stale = join(dir, 'stale.sock');
      api.leaveSocketFile(stale);
      await api.close();

      await expect(new DockerApiClient(stale, LIMITS).containers()).rejects.toThrow(
        `GET /containers/json: connect ECONNREFUSED ${stale}`,
      );
    });
  });

  describe('events()', () => {
    it('should pass on each event of the stream, lines split across writes included', async () => {
      const events: DockerEvent[] = [];
      const stream = await client.events((event) => events.push(event));
      const recorded = fixture('events.ndjson');

      api.emit(recorded.slice(0, 1000));
      api.emit(recorded.slice(1000));
      await eventually(() => events.length === 5, 2000, 10);
      stream.close();

      expect(events.map(({ action, id }) => [action, id?.slice(0, 12)])).toEqual([
        ['exec_create: /bin/sh -c pg_isready -U postgres', 'c3f84843a4f1'],
        ['exec_start: /bin/sh -c pg_isready -U postgres', 'c3f84843a4f1'],
        ['exec_die', 'c3f84843a4f1'],
        ['create', 'ae59d5d8aa27'],
        ['start', 'ae59d5d8aa27'],
      ]);
      expect(events.every((event) => event.type === 'container')).toBe(true);
    });

    it('should end the stream with the reason when the daemon ends it', async () => {
      const stream = await client.events(() => undefined);

      api.endStreams();

      await expect(stream.ended).resolves.toEqual(new Error('the events stream ended'));
    });

    it.each([
      ['a line that is not JSON', 'garbage\n', 'an event is not JSON'],
      ['a line that is not an event', '{"status":"start"}\n', 'an event has no Type or Action'],
      ['a line longer than the limit', 'x'.repeat(70 * 1024), 'too large (over 64 KiB)'],
    ])('should end the stream on %s', async (_, text, reason) => {
      const stream = await client.events(() => undefined);

      api.emit(text);

      await expect(stream.ended).resolves.toEqual(new Error(reason));
    });

    it('should reject opening the stream when the events endpoint answers 404', async () => {
      api.reply('/events', json({ message: 'page not found' }, 404));

      await expect(client.events(() => undefined)).rejects.toThrow(
        new Error('GET /events: HTTP 404 Not Found: page not found'),
      );
    });

    it('should reject opening the stream when the daemon never answers, after the timeout', async () => {
      api.reply('/events', 'hang');

      await expect(client.events(() => undefined)).rejects.toThrow(
        new Error('GET /events: no answer in 200 ms'),
      );
    });

    it('should keep the stream open past the timeout once the daemon has answered', async () => {
      const events: DockerEvent[] = [];
      const stream = await client.events((event) => events.push(event));

      await new Promise((resolve) => setTimeout(resolve, 300));
      api.emit(fixture('events.ndjson'));
      await eventually(() => events.length === 5, 2000, 10);
      stream.close();

      await expect(stream.ended).resolves.toEqual(new Error('closed'));
    });
  });

  describe('close()', () => {
    it('should end requests in flight and open streams, close their connections and refuse new ones', async () => {
      api.reply('/version', 'hang');
      const hung = client.version();
      const stream = await client.events(() => undefined);

      client.close();

      await expect(hung).rejects.toThrow(new Error('GET /version: closed'));
      await expect(stream.ended).resolves.toEqual(new Error('closed'));
      await expect(client.containers()).rejects.toThrow(new Error('GET /containers/json: closed'));
      await expect(client.events(() => undefined)).rejects.toThrow(
        new Error('GET /events: closed'),
      );
      // Waits for the client's connections to go: none is left.
      await api.close({ force: false, waitMs: 1000 });
    });
  });

  it('should send only GET requests, on the three fixed paths', async () => {
    await client.version();
    await client.containers();
    (await client.events(() => undefined)).close();
    api.reply('/containers/json', 'hang');
    await client.containers().catch(() => undefined);

    expect(api.requests.length).toBe(4);
    expect(api.requests.filter((line) => !DOCKER_API_REQUESTS.includes(line))).toEqual([]);
  });
});
