import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { copyFile, cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LinuxHostReader, type LinuxHostPaths } from './linux-host.reader.js';

const HOSTS = fileURLToPath(new URL('../../test/fixtures/hosts', import.meta.url));
// The filesystems come from systeminformation, not from the recorded tree.
const NO_FILESYSTEMS = { readDisks: () => Promise.resolve([]) };

/** The paths of a recorded host tree under `dir` (proc, sys, self-proc, cgroup, root). */
const treeUnder = (dir: string): LinuxHostPaths => ({
  procfs: join(dir, 'proc'),
  sysfs: join(dir, 'sys'),
  selfProc: join(dir, 'self-proc'),
  cgroupRoot: join(dir, 'cgroup'),
  root: join(dir, 'root'),
});

// Each `X.next` in a fixture is `X` one tick later. Its text is copied into X (the same file,
// as the kernel rewrites a procfs file in place), so handles the reader keeps open see it.
async function advance(dir: string): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.next')) {
      const path = join(entry.parentPath, entry.name);
      await copyFile(path, path.slice(0, -'.next'.length));
    }
  }
}

// Like node_exporter's end-to-end test: a recorded procfs/sysfs tree in, a golden reading out.
// UPDATE_GOLDEN=1 rewrites expected.json; review the diff before committing it.
describe.each(['multicore', 'bare-vm'])('LinuxHostReader on the %s fixture', (host) => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), `vitals-${host}-`));
    await cp(join(HOSTS, host), dir, { recursive: true });
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('should read every group as the golden file says when the counters advance by one second', async () => {
    let clock = 0;
    const reader = new LinuxHostReader(treeUnder(dir), NO_FILESYSTEMS, () => clock);
    await reader.init();
    await advance(dir);
    clock = 1000;

    const reading = {
      cpu: await reader.readCpu(),
      memory: await reader.readMemory(),
      diskIo: await reader.readDiskIo(),
      network: await reader.readNetwork(),
      uptime: await reader.readUptime(),
      processes: await reader.readProcesses(2),
      sensors: await reader.readSensors(),
      container: await reader.readContainer(),
    };

    reader.close();
    const golden = join(HOSTS, host, 'expected.json');
    if (process.env.UPDATE_GOLDEN) {
      writeFileSync(golden, `${JSON.stringify(reading, null, 2)}\n`);
    }
    // A missing golden is a failure: written from the code under test, it would only compare
    // the code with itself.
    expect(existsSync(golden)).toBe(true);
    expect(reading).toEqual(JSON.parse(readFileSync(golden, 'utf8')));
  });
});

describe('LinuxHostReader with a file it cannot read', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vitals-unreadable-'));
    await cp(join(HOSTS, 'multicore'), dir, { recursive: true });
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('should start and fail only that group when its file is missing at startup', async () => {
    const reader = new LinuxHostReader(
      {
        ...treeUnder(dir),
        // As in a container whose host procfs hides other processes (hidepid): no 1/net/dev.
        netDev: '1/net/dev',
      },
      NO_FILESYSTEMS,
    );

    await reader.init();

    await expect(reader.readNetwork()).rejects.toThrow('ENOENT');
    await expect(reader.readDiskIo()).resolves.toBeDefined();
    reader.close();
  });

  it('should reject the memory read, not throw, when meminfo cannot be read', async () => {
    const reader = new LinuxHostReader(treeUnder(dir), NO_FILESYSTEMS);
    await reader.init();
    await rm(join(dir, 'proc', 'meminfo'));

    const memory = reader.readMemory();

    await expect(memory).rejects.toThrow('ENOENT');
    await expect(reader.readUptime()).resolves.toBeGreaterThan(0);
    reader.close();
  });
});

describe('LinuxHostReader on this machine', () => {
  const linux = process.platform === 'linux' ? it : it.skip;

  linux('should read /proc with sane values when pointed at the real host', async () => {
    const reader = new LinuxHostReader(
      {
        procfs: '/proc',
        sysfs: '/sys',
        selfProc: '/proc',
        cgroupRoot: '/sys/fs/cgroup',
        root: '/',
      },
      NO_FILESYSTEMS,
    );
    await reader.init();

    const cpu = await reader.readCpu();
    const uptime = await reader.readUptime();

    expect(cpu.count).toBe(cpu.cores.length);
    expect(cpu.usage).toBeGreaterThanOrEqual(0);
    expect(cpu.usage).toBeLessThanOrEqual(100);
    expect(uptime).toBeGreaterThan(0);
  });
});
