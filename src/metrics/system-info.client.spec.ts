import { copyFile, cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Test } from '@nestjs/testing';
import { samplerConfig } from '../config/sampler.config.js';
import { SystemInfoClient } from './system-info.client.js';

const FIXTURE = fileURLToPath(new URL('../../test/fixtures/procfs', import.meta.url));
const linux = process.platform === 'linux' ? describe : describe.skip;

async function clientFor(procfs: string): Promise<SystemInfoClient> {
  const moduleRef = await Test.createTestingModule({
    providers: [
      SystemInfoClient,
      {
        provide: samplerConfig.KEY,
        useValue: { hostName: 'test', intervalMs: 1000, procfs, sysfs: '/sys' },
      },
    ],
  }).compile();
  await moduleRef.init();
  return moduleRef.get(SystemInfoClient);
}

linux('SystemInfoClient on Linux', () => {
  let procfs: string;

  beforeEach(async () => {
    procfs = await mkdtemp(join(tmpdir(), 'vitals-procfs-'));
    await cp(FIXTURE, procfs, { recursive: true });
  });

  afterEach(async () => {
    await rm(procfs, { recursive: true, force: true });
  });

  it('should read cpu and memory from VITALS_PROCFS when the kernel counters advance', async () => {
    const client = await clientFor(procfs);
    await copyFile(join(procfs, 'stat.next'), join(procfs, 'stat'));

    const reading = await client.read();

    expect(reading.cpu).toEqual({
      usage: 26,
      user: 16,
      system: 8,
      iowait: 4,
      steal: 2,
      idle: 70,
      cores: [100, 0, 4, 0],
      load: [1.25, 0.8, 0.5],
      count: 4,
    });
    expect(reading.memory).toEqual({
      total: 16384000 * 1024,
      used: 12288000 * 1024,
      available: 4096000 * 1024,
      usage: 75,
      swapTotal: 2097152 * 1024,
      swapUsed: 524288 * 1024,
      swapUsage: 25,
    });
  });

  it('should measure from the previous reading when called again', async () => {
    const client = await clientFor(procfs);
    await copyFile(join(procfs, 'stat.next'), join(procfs, 'stat'));
    await client.read();
    // Back to the old counters: every delta is negative, so no time has passed; the previous
    // figures are repeated rather than made up.
    await copyFile(join(FIXTURE, 'stat'), join(procfs, 'stat'));

    const again = await client.read();

    expect(again.cpu.usage).toBe(26);
  });

  it('should fail to start when VITALS_PROCFS has no stat file', async () => {
    await expect(clientFor(join(procfs, 'missing'))).rejects.toThrow(
      /Cannot read .*missing\/stat: VITALS_PROCFS must point at a procfs mount/,
    );
  });

  it('should read this machine when pointed at /proc', async () => {
    const client = await clientFor('/proc');

    const { cpu, memory } = await client.read();

    expect(cpu.count).toBe(cpu.cores.length);
    expect(cpu.usage).toBeGreaterThanOrEqual(0);
    expect(cpu.usage).toBeLessThanOrEqual(100);
    expect(cpu.load).toHaveLength(3);
    expect(memory.total).toBeGreaterThan(memory.used);
  });
});
