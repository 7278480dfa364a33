import { readFileSync } from 'node:fs';
import { parseMountInfo, storageMounts } from './mountinfo.parser.js';

// A Docker container's table: overlay root, kernel interfaces, files bind-mounted from the
// host's disk, a volume mounted twice, an NFS share with a space in its name, and garbage.
const CONTAINER = readFileSync(
  new URL('../../test/fixtures/mountinfo/docker-container', import.meta.url),
  'latin1',
);

describe('parseMountInfo', () => {
  it('should read each line past its optional fields and skip what is not mountinfo', () => {
    const mounts = parseMountInfo(CONTAINER);

    expect(mounts).toHaveLength(16);
    expect(mounts[11]).toEqual({
      device: '259:3',
      root: '/',
      mount: '/data',
      type: 'xfs',
      source: '/dev/nvme1n1',
    });
    expect(mounts[13]).toEqual({
      device: '0:140',
      root: '/',
      mount: '/mnt/team share',
      type: 'nfs4',
      source: 'fileserver:/export/team share',
    });
  });

  it("should read this machine's own table, with / in it", () => {
    const mounts = parseMountInfo(readFileSync('/proc/self/mountinfo', 'latin1'));

    expect(mounts.find((mount) => mount.mount === '/')).toBeDefined();
  });
});

describe('storageMounts', () => {
  it('should keep storage once per device, at its whole-filesystem mount', () => {
    const mounts = storageMounts(parseMountInfo(CONTAINER));

    expect(mounts.map(({ mount, source, type }) => [mount, source, type])).toEqual([
      // The host disk, seen only through files bind-mounted from it: the shortest path, as df.
      ['/etc/hosts', '/dev/nvme0n1p2', 'ext4'],
      // Mounted twice: at / of the filesystem, not at the subdirectory.
      ['/data', '/dev/nvme1n1', 'xfs'],
      ['/mnt/team share', 'fileserver:/export/team share', 'nfs4'],
    ]);
  });

  it('should prefer the whole filesystem whichever order the mounts come in', () => {
    const [whole, part] = [
      { device: '8:1', root: '/', mount: '/very/long/mount/point', type: 'ext4', source: '/dev/a' },
      { device: '8:1', root: '/sub', mount: '/x', type: 'ext4', source: '/dev/a' },
    ];

    expect(storageMounts([part, whole])).toEqual([whole]);
    expect(storageMounts([whole, part])).toEqual([whole]);
  });
});
