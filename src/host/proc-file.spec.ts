import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '../../test/helpers/eventually.js';
import { NetworkNamespace, describeWithNetns, netnsName } from '../../test/helpers/netns.js';
import { ProcFile } from './proc-file.js';

describe('ProcFile', () => {
  let dir: string;
  let file: ProcFile | undefined;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vitals-procfile-'));
  });

  afterEach(async () => {
    file?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('should read the whole text when the file is larger than its first buffer', async () => {
    const text = 'cpu0 1 2 3\n'.repeat(2000); // 22 KB, more than the initial 4 KiB
    await writeFile(join(dir, 'stat'), text);
    file = new ProcFile(join(dir, 'stat'));

    expect(file.read()).toBe(text);
  });

  it('should see the new text when the file is rewritten in place, longer or shorter', async () => {
    const path = join(dir, 'loadavg');
    await writeFile(path, '0.50 0.40 0.30 1/100 123\n');
    file = new ProcFile(path);
    file.read();

    await writeFile(path, '1.00 0.90 0.80 2/200 456 and more text\n');
    const longer = file.read();
    await writeFile(path, '2\n');
    const shorter = file.read();

    expect(longer).toBe('1.00 0.90 0.80 2/200 456 and more text\n');
    expect(shorter).toBe('2\n');
  });

  it('should fail, then open the file again on the next read, when it is missing at first', async () => {
    const path = join(dir, 'uptime');
    file = new ProcFile(path);

    expect(() => file?.read()).toThrow('ENOENT');
    await writeFile(path, '42.00 84.00\n');

    expect(file.read()).toBe('42.00 84.00\n');
  });
});

// A regular file answers a read with all it has; procfs answers about a page at a time. Only a
// real kernel file longer than a page shows whether every part of it is read.
describeWithNetns('ProcFile on a real procfs file longer than a page', () => {
  const PAIRS = 60; // 121 interfaces: about 15 KB of /proc/net/dev, four pages' worth
  let ns: NetworkNamespace;
  let sleeper: ChildProcess;
  let file: ProcFile | undefined;

  beforeAll(async () => {
    ns = await NetworkNamespace.create(netnsName('procfile'), PAIRS);
    // A process living in the namespace: its /proc/<pid>/net/dev is the namespace's.
    sleeper = spawn('ip', ['netns', 'exec', ns.name, 'sleep', '600'], { stdio: 'ignore' });
    await once(sleeper, 'spawn');
    // `ip` enters the namespace, then becomes `sleep`: only then is its net/dev the namespace's.
    await eventually(() => readFileSync(`/proc/${sleeper.pid}/comm`, 'latin1') === 'sleep\n');
  });

  afterAll(async () => {
    file?.close();
    sleeper?.kill();
    await ns?.delete();
  });

  it('should return every interface when /proc/net/dev spans several pages', async () => {
    const expected = await ns.interfaces();
    const catText = await ns.exec('cat', ['/proc/net/dev']);
    file = new ProcFile(`/proc/${sleeper.pid}/net/dev`);

    const text = file.read();

    const names = (dev: string) =>
      dev
        .split('\n')
        .slice(2)
        .map((line) => line.split(':')[0]?.trim())
        .filter(Boolean);
    expect(names(text).sort()).toEqual([...expected].sort());
    expect(names(text)).toHaveLength(2 * PAIRS + 1);
    expect(text).toBe(catText);
    expect(text.length).toBeGreaterThan(3 * 4096);
  });

  it('should return the whole file again when it is read a second time through the same descriptor', async () => {
    const catText = await ns.exec('cat', ['/proc/net/dev']);
    file = new ProcFile(`/proc/${sleeper.pid}/net/dev`);
    file.read();

    const second = file.read();

    expect(second).toBe(catText);
  });
});
