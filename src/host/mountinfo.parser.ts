/** One line of /proc/<pid>/mountinfo (proc(5)): what is mounted where. */
export interface MountInfo {
  /** The device, `major:minor`: bind mounts of one filesystem share it. */
  device: string;
  /** The directory of the filesystem mounted here: `/` for the whole of it. */
  root: string;
  /** Where it is mounted. */
  mount: string;
  type: string;
  /** The source: a device path, `server:/export`, or a name such as `tmpfs`. */
  source: string;
}

// Spaces, tabs, newlines and backslashes in paths are written as octal escapes (`\040`).
const unescape = (field: string): string =>
  field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));

/**
 * The mounts of a mountinfo text. Optional fields (`shared:1`, `master:2`) run up to a lone
 * `-`; a line that does not have the fields either side of it is skipped.
 */
export function parseMountInfo(text: string): MountInfo[] {
  const mounts: MountInfo[] = [];
  for (const line of text.split('\n')) {
    const fields = line.split(' ');
    const separator = fields.indexOf('-', 6);
    const [, , device, root, mount] = fields;
    const type = fields[separator + 1];
    const source = fields[separator + 2];
    if (separator === -1 || !device || !root || !mount || !type || source === undefined) {
      continue;
    }
    mounts.push({
      device,
      root: unescape(root),
      mount: unescape(mount),
      type,
      source: unescape(source),
    });
  }
  return mounts;
}

// Filesystems that hold no storage of their own (memory, kernel interfaces, container layers):
// node_exporter's defaults, and tmpfs and ramfs as the service has always left them out.
const VIRTUAL_TYPES = new Set([
  'autofs',
  'binfmt_misc',
  'bpf',
  'cgroup',
  'cgroup2',
  'configfs',
  'debugfs',
  'devpts',
  'devtmpfs',
  'efivarfs',
  'erofs',
  'fuse.lxcfs',
  'fusectl',
  'hugetlbfs',
  'iso9660',
  'mqueue',
  'nsfs',
  'overlay',
  'proc',
  'procfs',
  'pstore',
  'ramfs',
  'rpc_pipefs',
  'securityfs',
  'selinuxfs',
  'squashfs',
  'sysfs',
  'tmpfs',
  'tracefs',
]);
// Kernel interfaces, and what container runtimes mount inside their own storage.
const VIRTUAL_MOUNTS =
  /^\/(dev|proc|sys|run\/credentials\/.+|var\/lib\/docker\/.+|var\/lib\/containers\/storage\/.+)($|\/)/;

/**
 * The filesystems to report, as `df` lists them: no virtual ones, and each device once, at the
 * mount of its whole filesystem if there is one (not a file bind-mounted from it, as a
 * container's /etc/hosts is), else at its shortest mount path.
 */
export function storageMounts(mounts: readonly MountInfo[]): MountInfo[] {
  const byDevice = new Map<string, MountInfo>();
  for (const mount of mounts) {
    if (VIRTUAL_TYPES.has(mount.type) || VIRTUAL_MOUNTS.test(mount.mount)) {
      continue;
    }
    const kept = byDevice.get(mount.device);
    const whole = mount.root === '/';
    if (!kept || (whole !== (kept.root === '/') ? whole : mount.mount.length < kept.mount.length)) {
      byDevice.set(mount.device, mount);
    }
  }
  return [...byDevice.values()];
}
