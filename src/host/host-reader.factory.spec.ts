import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { samplerConfig } from '../config/sampler.config.js';
import { HOST_READER, type HostReader } from './host-reader.js';
import { createHostReader } from './host-reader.factory.js';
import { HostModule } from './host.module.js';
import { NO_DOCKER_SOCKET } from './containers/docker-container.directory.js';
import { LinuxHostReader } from './linux-host.reader.js';
import { PortableHostReader } from './portable-host.reader.js';

const MULTICORE = fileURLToPath(new URL('../../test/fixtures/hosts/multicore', import.meta.url));

const asLinux = (reader: HostReader): LinuxHostReader => {
  if (!(reader instanceof LinuxHostReader)) {
    throw new Error('expected the Linux reader');
  }
  return reader;
};

// nvidia-smi off: these tests are about choosing the reader, and a GPU host must not change them.
const NO_GPUS = { nvidiaSmi: 'off', intervalMs: 1000, processesIntervalMs: 5000 };

describe('createHostReader', () => {
  let log: jest.SpiedFunction<Logger['log']>;
  let portable: PortableHostReader;

  beforeEach(() => {
    log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    portable = new PortableHostReader();
  });

  it('should choose the systeminformation reader and say so when the platform is not Linux', () => {
    const reader = createHostReader(
      { procfs: '/proc', sysfs: '/sys', dockerSocket: 'off', ...NO_GPUS },
      portable,
      'darwin',
    );

    expect(reader).toBe(portable);
    expect(log.mock.calls).toEqual([['Reading the host through systeminformation on darwin']]);
  });

  it('should choose the procfs reader and read nothing yet when the platform is Linux', () => {
    const reader = createHostReader(
      { procfs: '/nowhere', sysfs: '/nowhere', dockerSocket: 'off', ...NO_GPUS },
      portable,
      'linux',
    );

    expect(reader).toBeInstanceOf(LinuxHostReader);
    expect(log).not.toHaveBeenCalled();
  });

  it('should fail startup naming VITALS_PROCFS when the procfs has no stat file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vitals-not-procfs-'));
    try {
      const reader = asLinux(
        createHostReader(
          { procfs: dir, sysfs: dir, dockerSocket: 'off', ...NO_GPUS },
          portable,
          'linux',
        ),
      );

      await expect(reader.onModuleInit()).rejects.toThrow(
        `Cannot read ${join(dir, 'stat')}: VITALS_PROCFS must point at a procfs mount`,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("should read the host init's interfaces and say where it reads from when procfs is mounted elsewhere", async () => {
    const procfs = join(MULTICORE, 'proc');
    const sysfs = join(MULTICORE, 'sys');
    const reader = asLinux(
      createHostReader({ procfs, sysfs, dockerSocket: 'off', ...NO_GPUS }, portable, 'linux'),
    );

    await reader.onModuleInit();
    await reader.onModuleDestroy();

    expect(log.mock.calls).toEqual([
      [NO_DOCKER_SOCKET],
      ['No GPUs found'],
      [
        `Reading the host from ${procfs} and ${sysfs}` +
          ` (interfaces from ${join(procfs, '1/net/dev')})`,
      ],
    ]);
  });

  // The mount table read is this process's own: only a Linux machine has one.
  (process.platform === 'linux' ? it : it.skip)(
    "should read the filesystems from this process's mountinfo, not systeminformation, on Linux",
    async () => {
      const viaSystemInformation = jest.spyOn(portable, 'readDisks');
      const reader = createHostReader(
        { procfs: '/nowhere', sysfs: '/nowhere', dockerSocket: 'off', ...NO_GPUS },
        portable,
        'linux',
      );

      const disks = await reader.readDisks();

      expect(viaSystemInformation).not.toHaveBeenCalled();
      expect(disks.map((disk) => disk.mount)).toContain('/');
    },
  );
});

describe('HostModule', () => {
  const linux = process.platform === 'linux' ? it : it.skip;

  linux('should provide a started procfs reader when the application starts on Linux', async () => {
    const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    const moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [samplerConfig] }),
        HostModule,
      ],
    }).compile();

    await moduleRef.init();
    const reader = moduleRef.get<HostReader>(HOST_READER);
    const uptime = await reader.readUptime();
    await moduleRef.close();

    expect(reader).toBeInstanceOf(LinuxHostReader);
    expect(log).toHaveBeenCalledWith(expect.stringContaining('Reading the host from '));
    expect(uptime).toBeGreaterThan(0);
  });
});
