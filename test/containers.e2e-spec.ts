import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { ContainerStatsDto } from '../src/hub/dto/container-stats.dto.js';
import { describeWithCgroups, REAL_CGROUPS } from './helpers/cgroup-tree.js';
import { DockerApiServer, fixtureJson, json } from './helpers/docker-api-server.js';
import { eventually } from './helpers/eventually.js';
import { ServiceProcess } from './helpers/service-process.js';

// A container-shaped cgroup of this run: Docker's cgroupfs layout, `docker/<64 hex>`.
const ID = `e2e${'0'.repeat(53)}${process.pid.toString(16).padStart(8, '0').slice(-8)}`;

describeWithCgroups('the compiled service on a host running a container', () => {
  const hierarchies = ['cpu', 'cpuacct', 'memory', 'pids']
    .map((controller) => join(REAL_CGROUPS, controller))
    .filter((hierarchy) => existsSync(join(hierarchy, 'cgroup.procs')));
  const unified = [REAL_CGROUPS, join(REAL_CGROUPS, 'unified')].find((hierarchy) =>
    existsSync(join(hierarchy, 'cgroup.controllers')),
  );
  // v1 hierarchies where the host has them, else the unified one (a v2 host).
  const parents = hierarchies.length > 0 ? hierarchies : unified ? [unified] : [];
  const made: string[] = [];
  let busy: ChildProcess;
  let dir: string;
  let api: DockerApiServer;
  let service: ServiceProcess;
  let url: string;

  const containers = async (): Promise<ContainerStatsDto[]> =>
    (
      (await request(url).get('/api/v1/metrics?groups=containers')).body as {
        containers: ContainerStatsDto[];
      }
    ).containers;
  const ours = async () => (await containers()).find((c) => c.id === ID.slice(0, 12));

  beforeAll(async () => {
    busy = spawn('sh', ['-c', 'while :; do :; done'], { stdio: 'ignore' });
    await once(busy, 'spawn');
    for (const parent of parents) {
      for (const path of [join(parent, 'docker'), join(parent, 'docker', ID)]) {
        if (!existsSync(path)) {
          mkdirSync(path);
          made.push(path);
        }
      }
      writeFileSync(join(parent, 'docker', ID, 'cgroup.procs'), `${busy.pid}\n`);
    }
    // Docker's API, as its socket answers: this container named `e2e-web`.
    dir = mkdtempSync(join(tmpdir(), 'vitals-containers-e2e-'));
    api = await DockerApiServer.start(join(dir, 'docker.sock'));
    const listed = fixtureJson<Record<string, unknown>[]>('containers.json')[0];
    api.reply(
      '/containers/json',
      json([{ ...listed, Id: ID, Names: ['/e2e-web'], Image: 'nginx:1.27' }]),
    );
    service = new ServiceProcess({
      VITALS_PORT: '0',
      VITALS_INTERVAL_MS: '250',
      VITALS_DOCKER_SOCKET: api.path,
    });
    url = await service.listening();
  }, 30_000);

  afterAll(async () => {
    service?.kill();
    await service?.exited;
    await api?.close();
    busy?.kill('SIGKILL');
    if (busy && busy.exitCode === null && busy.signalCode === null) {
      await once(busy, 'exit');
    }
    for (const path of made.reverse()) {
      await eventually(() => {
        try {
          rmdirSync(path);
          return true;
        } catch (error) {
          return (error as NodeJS.ErrnoException).code === 'ENOENT';
        }
      }, 5000);
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('should list it by the name and image the Docker API gives, with its CPU, in the sample', async () => {
    await eventually(async () => ((await ours())?.cpu ?? 0) > 0, 10_000);

    expect(await ours()).toMatchObject({
      id: ID.slice(0, 12),
      name: 'e2e-web',
      image: 'nginx:1.27',
      runtime: 'docker',
      cgroup: `/docker/${ID}`,
      pod: null,
    });
    expect(api.requests.every((line) => line.startsWith('GET '))).toBe(true);
  });

  it('should give it Prometheus series labelled by its name, image and runtime', async () => {
    const text = (await request(url).get('/metrics')).text;

    expect(text).toMatch(
      new RegExp(
        `^vitals_container_cpu_usage_ratio\\{container="e2e-web",id="${ID.slice(0, 12)}",` +
          `image="nginx:1.27",runtime="docker"\\} [0-9.]+$`,
        'm',
      ),
    );
  });

  it('should keep the name it learnt while the socket is gone, and drop the container once its cgroup is', async () => {
    await api.close();
    await new Promise((resolve) => setTimeout(resolve, 600));

    expect((await ours())?.name).toBe('e2e-web');

    for (const parent of parents) {
      writeFileSync(join(parent, 'cgroup.procs'), `${busy.pid}\n`);
      rmdirSync(join(parent, 'docker', ID));
      made.splice(made.indexOf(join(parent, 'docker', ID)), 1);
    }
    await eventually(async () => (await ours()) === undefined, 10_000);
    expect(service.stderr).not.toMatch(/^\s+at /m);
  });
});
