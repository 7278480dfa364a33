import { identifyContainer, mayHoldContainers, namedId } from './cgroup-path.parser.js';

const HEX = '3d235a73f208c72e859008edd74d1d360e7664919533f5d3e09e94fdb71ecb30';
const ID = '3d235a73f208';

describe('identifyContainer', () => {
  it.each([
    ['Docker, systemd driver', `/system.slice/docker-${HEX}.scope`, 'docker', null],
    ['Docker, cgroupfs driver', `/docker/${HEX}`, 'docker', null],
    [
      'rootless Docker',
      `/user.slice/user-1000.slice/user@1000.service/user.slice/docker-${HEX}.scope`,
      'docker',
      null,
    ],
    ['Podman, rootful', `/machine.slice/libpod-${HEX}.scope`, 'podman', null],
    ['Podman, cgroupfs manager', `/libpod_parent/libpod-${HEX}`, 'podman', null],
    [
      'Podman, rootless in a pod',
      `/user.slice/user-1000.slice/user@1000.service/user.slice/user-libpod_pod_8f1e.slice/libpod-${HEX}.scope`,
      'podman',
      null,
    ],
    [
      'containerd in a burstable pod',
      `/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod0f7c3a2e_5b1d_4e8a_9c6f_2d4b8a1e7c90.slice/cri-containerd-${HEX}.scope`,
      'containerd',
      '0f7c3a2e-5b1d-4e8a-9c6f-2d4b8a1e7c90',
    ],
    [
      'containerd in a guaranteed pod',
      `/kubepods.slice/kubepods-pod0f7c3a2e_5b1d_4e8a_9c6f_2d4b8a1e7c90.slice/cri-containerd-${HEX}.scope`,
      'containerd',
      '0f7c3a2e-5b1d-4e8a-9c6f-2d4b8a1e7c90',
    ],
    [
      'containerd, cgroupfs driver',
      `/kubepods/burstable/pod6b1c9e2f-3a4d-4f5e-8b7a-9c0d1e2f3a4b/${HEX}`,
      'containerd',
      '6b1c9e2f-3a4d-4f5e-8b7a-9c0d1e2f3a4b',
    ],
    [
      'CRI-O in a best-effort pod',
      `/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod5d2e8c1a_7b3f_4a6e_8d9c_1e2f3a4b5c6d.slice/crio-${HEX}.scope`,
      'crio',
      '5d2e8c1a-7b3f-4a6e-8d9c-1e2f3a4b5c6d',
    ],
    [
      'CRI-O, cgroupfs driver',
      `/kubepods/besteffort/pod5d2e8c1a-7b3f-4a6e-8d9c-1e2f3a4b5c6d/crio-${HEX}`,
      'crio',
      '5d2e8c1a-7b3f-4a6e-8d9c-1e2f3a4b5c6d',
    ],
    [
      'a static pod (32-hex UID)',
      `/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod6a7b3c9d0e1f2a3b4c5d6e7f8a9b0c1d.slice/cri-containerd-${HEX}.scope`,
      'containerd',
      '6a7b3c9d0e1f2a3b4c5d6e7f8a9b0c1d',
    ],
  ])('should recognise %s when the path is %s', (_title, cgroup, runtime, pod) => {
    const identity = identifyContainer(cgroup);

    expect(identity).toEqual({ id: ID, runtime, pod });
  });

  it.each([
    // printf '%s' <path> | sha256sum | cut -c1-12
    ['LXC 4+ and LXD', '/lxc.payload.db', 'lxc', 'c8195eee8507'],
    ['LXC before 4', '/lxc/build', 'lxc', 'dcc0683be976'],
    ['systemd-nspawn', '/machine.slice/machine-web.scope', 'systemd-nspawn', 'dc9a0fe8ce59'],
    [
      'machinectl start',
      '/machine.slice/systemd-nspawn@build.service',
      'systemd-nspawn',
      '9d682ec7f425',
    ],
  ])(
    'should give %s a stable id from its path when it has no hex id (%s)',
    (_t, cgroup, runtime, id) => {
      const identity = identifyContainer(cgroup);

      expect(identity).toEqual({ id, runtime, pod: null });
      expect(namedId(cgroup)).toBe(id);
    },
  );

  it.each([
    ['the root', '/'],
    ['a systemd service', '/system.slice/docker.service'],
    ['a login session', '/user.slice/user-1000.slice/session-3.scope'],
    ["Podman's monitor", `/machine.slice/libpod-conmon-${HEX}.scope`],
    [
      "CRI-O's monitor",
      `/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-podx.slice/crio-conmon-${HEX}.scope`,
    ],
    ["LXC's monitor", '/lxc.monitor.db'],
    ['a libvirt virtual machine', '/machine.slice/machine-qemu\\x2d1\\x2dwin11.scope'],
    ['a 64-hex directory outside any runtime', `/system.slice/${HEX}`],
    ['a pod slice', '/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod0f7c.slice'],
    ['a short hex id', '/docker/3d235a73f208'],
  ])('should say %s is not a container when the path is %s', (_title, cgroup) => {
    const identity = identifyContainer(cgroup);

    expect(identity).toBeUndefined();
  });
});

describe('mayHoldContainers', () => {
  it.each([
    'system.slice',
    'kubepods.slice',
    'docker',
    'kubepods',
    'burstable',
    'lxc',
    'user@1000.service',
    'pod6b1c9e2f-3a4d-4f5e-8b7a-9c0d1e2f3a4b',
    'libpod_parent',
  ])('should go into %s when walking the tree', (name) => {
    expect(mayHoldContainers(name)).toBe(true);
  });

  it.each(['init.scope', 'sshd.service', 'session-3.scope', 'payload', 'dev-hugepages.mount'])(
    'should skip %s when walking the tree',
    (name) => {
      expect(mayHoldContainers(name)).toBe(false);
    },
  );
});
