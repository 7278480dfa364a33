import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
