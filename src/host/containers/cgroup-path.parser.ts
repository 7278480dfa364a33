// Which cgroups are containers, from their path alone: each runtime names the cgroups it makes
// in its own way. Kept apart from the tree walk so every runtime's naming is tested on its own.
import { createHash } from 'node:crypto';
import type { ContainerRuntime } from '../../hub/dto/container-stats.dto.js';

/** What a container's cgroup path says about it. */
export interface ContainerIdentity {
  /** 12 hex characters: the runtime's own id, or one derived from the path (see namedId). */
  id: string;
  runtime: ContainerRuntime;
  /** The Kubernetes pod's UID when an ancestor cgroup names one, else null. */
  pod: string | null;
}

// Cgroups named after the container's 64-hex id. The monitors beside them (libpod-conmon-…,
// crio-conmon-…) do not match: "conmon-" is not hex.
const BY_ID: readonly (readonly [RegExp, ContainerRuntime])[] = [
  [/^docker-([0-9a-f]{64})\.scope$/, 'docker'], // systemd driver, also under a kubepods slice
  [/^libpod-([0-9a-f]{64})(?:\.scope)?$/, 'podman'], // systemd, or cgroupfs under libpod_parent
  [/^cri-containerd-([0-9a-f]{64})\.scope$/, 'containerd'],
  [/^crio-([0-9a-f]{64})(?:\.scope)?$/, 'crio'], // systemd, or cgroupfs inside pod<uid>
];
const BARE_ID = /^[0-9a-f]{64}$/;
// kubelet's pod cgroups: kubepods-burstable-pod<uid with _>.slice (systemd), pod<uid> (cgroupfs).
// Static pods have a 32-hex UID without dashes, hence no fixed layout.
const POD_SLICE = /^kubepods(?:-[a-z]+)?-pod([0-9a-f_]+)\.slice$/;
const POD_DIR = /^pod([0-9a-f-]+)$/;
// Directories that are not containers but may hold some: systemd slices, a user's manager
// (rootless Docker and Podman), and the cgroupfs drivers' parents.
const HOLDERS = new Set(['docker', 'kubepods', 'burstable', 'besteffort', 'lxc', 'libpod_parent']);
const USER_MANAGER = /^user@\d+\.service$/;

/**
 * The id of a container that has a name but no hex id (LXC, systemd-nspawn): the first 12 hex
 * characters of the SHA-256 of its cgroup path (e.g. "/lxc.payload.db"). Stable across restarts
 * of vitals and of the container, and the same in every hierarchy of a v1 or hybrid host.
 */
export function namedId(cgroup: string): string {
  return createHash('sha256').update(cgroup).digest('hex').slice(0, 12);
}

/** The pod UID an ancestor of the cgroup names (dashed, as Kubernetes shows it), else null. */
function podOf(segments: readonly string[]): string | null {
  for (const segment of segments) {
    const uid = POD_SLICE.exec(segment)?.[1] ?? POD_DIR.exec(segment)?.[1];
    if (uid !== undefined) {
      return uid.replaceAll('_', '-');
    }
  }
  return null;
}

function runtimeOfNamed(name: string, parent: string | undefined): ContainerRuntime | undefined {
  if (name.startsWith('lxc.payload.') || (parent === 'lxc' && !name.startsWith('lxc.monitor'))) {
    return 'lxc'; // LXC/LXD 4+ (lxc.monitor.<name> is its monitor), and LXC before 4 (lxc/<name>)
  }
  if (parent !== 'machine.slice') {
    return undefined;
  }
  if (/^systemd-nspawn@.+\.service$/.test(name)) {
    return 'systemd-nspawn'; // machinectl start
  }
  const machine = /^machine-(.+)\.scope$/.exec(name)?.[1];
  if (machine === undefined || machine.startsWith('qemu\\x2d')) {
    return undefined; // libvirt's virtual machines are not containers
  }
  return machine.startsWith('lxc\\x2d') ? 'lxc' : 'systemd-nspawn'; // libvirt LXC, else nspawn
}

/**
 * The container a cgroup is, from its path relative to the hierarchy's root (e.g.
 * "/system.slice/docker-3f2a….scope"); undefined when it is not one.
 */
export function identifyContainer(cgroup: string): ContainerIdentity | undefined {
  const segments = cgroup.split('/').filter((segment) => segment !== '');
  const name = segments.at(-1);
  if (name === undefined) {
    return undefined;
  }
  const parent = segments.at(-2);
  const pod = podOf(segments.slice(0, -1));
  for (const [pattern, runtime] of BY_ID) {
    const hex = pattern.exec(name)?.[1];
    if (hex !== undefined) {
      return { id: hex.slice(0, 12), runtime, pod };
    }
  }
  if (BARE_ID.test(name)) {
    // The cgroupfs drivers: docker/<id>, and kubepods/<qos>/pod<uid>/<id> (containerd's form;
    // CRI-O's is crio-<id>).
    if (parent === 'docker') {
      return { id: name.slice(0, 12), runtime: 'docker', pod };
    }
    if (parent !== undefined && POD_DIR.test(parent)) {
      return { id: name.slice(0, 12), runtime: 'containerd', pod };
    }
    return undefined;
  }
  const runtime = runtimeOfNamed(name, parent);
  return runtime === undefined
    ? undefined
    : { id: namedId(`/${segments.join('/')}`), runtime, pod };
}

/** Whether a directory that is not a container may hold some, so the walk goes into it. */
export function mayHoldContainers(name: string): boolean {
  return (
    name.endsWith('.slice') || HOLDERS.has(name) || POD_DIR.test(name) || USER_MANAGER.test(name)
  );
}
