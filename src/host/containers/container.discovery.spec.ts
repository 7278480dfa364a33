import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { copyCgroupTree } from '../../../test/helpers/cgroup-tree.js';
import { ContainerDiscovery } from './container.discovery.js';

// The recorded trees and their containers: test/fixtures/cgroups/README.md.
const A = '3d235a73f208c72e859008edd74d1d360e7664919533f5d3e09e94fdb71ecb30';
const F = '81d5f2c6d2114eb7cacac642f9ff6f1a5802affef8e9029ea0b82531a150f4a5';
const G = '754968e77ca290bfb84e4ed67d377f4639ba142c3626e05e870d9701ffca3a32';
const NEW = 'b1e2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90';
const BURSTABLE_POD =
  '/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod0f7c3a2e_5b1d_4e8a_9c6f_2d4b8a1e7c90.slice';
const BEST_EFFORT_POD =
  '/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod5d2e8c1a_7b3f_4a6e_8d9c_1e2f3a4b5c6d.slice';

const summary = (discovery: ContainerDiscovery) =>
  discovery.containers().map(({ id, runtime, pod, cgroup }) => ({ id, runtime, pod, cgroup }));

describe('ContainerDiscovery', () => {
  let dir: string;

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('should find Docker, Podman, containerd and CRI-O containers, sorted by id, when the host is v2', async () => {
    dir = await copyCgroupTree('v2');
    const discovery = new ContainerDiscovery(join(dir, 'cgroup'), () => 0);

    const found = summary(discovery);

    expect(found).toEqual([
      {
        id: '0d669f447f23',
        runtime: 'containerd',
        pod: '0f7c3a2e-5b1d-4e8a-9c6f-2d4b8a1e7c90',
        cgroup: `${BURSTABLE_POD}/cri-containerd-0d669f447f23c0f1727471fb5b87dabce195f857bffad745b8fed74a22718076.scope`,
      },
      {
        id: '3d235a73f208',
        runtime: 'docker',
        pod: null,
        cgroup: `/system.slice/docker-${A}.scope`,
      },
      {
        id: '9a963aa42851',
        runtime: 'containerd',
        pod: '0f7c3a2e-5b1d-4e8a-9c6f-2d4b8a1e7c90',
        cgroup: `${BURSTABLE_POD}/cri-containerd-9a963aa4285166c51753e52c022dbf73350d91191ca5c6ca57324a872fcf3f5d.scope`,
      },
      {
        id: 'a7dce9711244',
        runtime: 'podman',
        pod: null,
        cgroup:
          '/machine.slice/libpod-a7dce9711244f8710ecc9e100e0c930c2f7b00df6815002a75ce9ac104364a39.scope',
      },
      {
        id: 'c0cd7ea28ff0',
        runtime: 'crio',
        pod: '5d2e8c1a-7b3f-4a6e-8d9c-1e2f3a4b5c6d',
        cgroup: `${BEST_EFFORT_POD}/crio-c0cd7ea28ff022be2d0e896af30e8302e3d02f42b2f701b14ae66facc55f73e0.scope`,
      },
      {
        id: 'e5309884004f',
        runtime: 'docker',
        pod: null,
        cgroup:
          '/system.slice/docker-e5309884004feaf34ed233c698af9f4a25c91050c9425b56ef8d2914f7b3303f.scope',
      },
    ]);
  });

  it('should read every figure from the v2 hierarchy when the host is v2', async () => {
    dir = await copyCgroupTree('v2');
    const discovery = new ContainerDiscovery(join(dir, 'cgroup'), () => 0);

    const docker = discovery.containers().find((container) => container.id === '3d235a73f208');

    const home = join(dir, 'cgroup', `system.slice/docker-${A}.scope`);
    expect(docker?.sources).toEqual({
      cpuTime: { dir: home, version: 2 },
      cpuLimit: { dir: home, version: 2 },
      memory: { dir: home, version: 2 },
      io: { dir: home, version: 2 },
      pids: { dir: home, version: 2 },
      home,
    });
  });

  it('should find cgroupfs and systemd driver containers, Kubernetes and LXC, when the host is v1', async () => {
    dir = await copyCgroupTree('v1');
    const discovery = new ContainerDiscovery(join(dir, 'cgroup'), () => 0);

    const found = summary(discovery);

    // Not the Docker-in-Docker container inside 81d5f2c6d211, nor cron.service.
    expect(found).toEqual([
      {
        id: '056ac4d846d9',
        runtime: 'containerd',
        pod: '6b1c9e2f-3a4d-4f5e-8b7a-9c0d1e2f3a4b',
        cgroup:
          '/kubepods/burstable/pod6b1c9e2f-3a4d-4f5e-8b7a-9c0d1e2f3a4b/056ac4d846d9267ddc566dcbd2d828af1ba49fd469772439adda8498d0fc1941',
      },
      {
        id: '754968e77ca2',
        runtime: 'docker',
        pod: null,
        cgroup: `/system.slice/docker-${G}.scope`,
      },
      { id: '81d5f2c6d211', runtime: 'docker', pod: null, cgroup: `/docker/${F}` },
      { id: 'dcc0683be976', runtime: 'lxc', pod: null, cgroup: '/lxc/build' },
    ]);
  });

  it("should read each figure from its v1 controller's hierarchy when the host is hybrid", async () => {
    dir = await copyCgroupTree('v1');
    const discovery = new ContainerDiscovery(join(dir, 'cgroup'), () => 0);

    const [systemd, cgroupfs] = discovery
      .containers()
      .filter((container) => container.runtime === 'docker');

    // systemd made the scope in unified/ too: its processes are listed there, its figures
    // are in the v1 controllers (cpu and cpuacct through their links to cpu,cpuacct).
    const v1 = (controller: string, path: string) => ({
      dir: join(dir, 'cgroup', controller, path),
      version: 1,
    });
    const scope = `system.slice/docker-${G}.scope`;
    expect(systemd?.sources).toEqual({
      cpuTime: v1('cpuacct', scope),
      cpuLimit: v1('cpu', scope),
      memory: v1('memory', scope),
      io: v1('blkio', scope),
      pids: v1('pids', scope),
      home: join(dir, 'cgroup', 'unified', scope),
    });
    expect(cgroupfs?.sources.home).toBe(join(dir, 'cgroup', 'memory', 'docker', F));
  });

  it('should find systemd-nspawn and LXC containers, not virtual machines or monitors, when their paths name them', async () => {
    dir = await copyCgroupTree('machines');
    const discovery = new ContainerDiscovery(join(dir, 'cgroup'), () => 0);

    const found = summary(discovery);

    // Their ids: the first 12 hex of the SHA-256 of the cgroup path (cgroup-path.parser.ts).
    expect(found).toEqual([
      {
        id: '9d682ec7f425',
        runtime: 'systemd-nspawn',
        pod: null,
        cgroup: '/machine.slice/systemd-nspawn@build.service',
      },
      { id: 'c8195eee8507', runtime: 'lxc', pod: null, cgroup: '/lxc.payload.db' },
      {
        id: 'dc9a0fe8ce59',
        runtime: 'systemd-nspawn',
        pod: null,
        cgroup: '/machine.slice/machine-web.scope',
      },
    ]);
  });

  it('should not look inside services or containers when a container-like cgroup is there', async () => {
    dir = await copyCgroupTree('v2');
    const root = join(dir, 'cgroup');
    await mkdir(join(root, `system.slice/sshd.service/docker-${NEW}.scope`));
    await mkdir(join(root, `system.slice/docker-${A}.scope/docker-${NEW}.scope`));
    const discovery = new ContainerDiscovery(root, () => 0);

    const ids = discovery.containers().map((container) => container.id);

    expect(ids).not.toContain(NEW.slice(0, 12));
    expect(ids).toHaveLength(6);
  });

  it('should walk the tree once, not at every tick, when nothing changes', async () => {
    dir = await copyCgroupTree('v2');
    let clock = 0;
    const discovery = new ContainerDiscovery(join(dir, 'cgroup'), () => clock);

    for (; clock < 5000; clock += 1000) {
      discovery.containers();
    }
    const withinFiveSeconds = discovery.scans;
    clock = 5000;
    discovery.containers();

    expect(withinFiveSeconds).toBe(1);
    expect(discovery.scans).toBe(2);
  });

  it('should walk the tree again at the next tick when a container appears or goes', async () => {
    dir = await copyCgroupTree('v2');
    const root = join(dir, 'cgroup');
    const discovery = new ContainerDiscovery(root, () => 0);
    discovery.containers();

    // A directory's link count is 2 + its subdirectories on cgroupfs, as on tmpfs and ext4.
    await mkdir(join(root, `system.slice/docker-${NEW}.scope`));
    const afterStart = discovery.containers().map((container) => container.id);
    await rm(join(root, `system.slice/docker-${A}.scope`), { recursive: true });
    const afterRemoval = discovery.containers().map((container) => container.id);
    discovery.containers();

    expect(afterStart).toContain(NEW.slice(0, 12));
    expect(afterRemoval).not.toContain('3d235a73f208');
    expect(discovery.scans).toBe(3);
  });

  it('should find nothing, and not fail, when the cgroup mount is missing', () => {
    dir = '/nonexistent';
    const discovery = new ContainerDiscovery('/nonexistent/fs/cgroup', () => 0);

    expect(discovery.containers()).toEqual([]);
  });
});
