import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { GpuStatsDto } from '../../hub/dto/gpu-stats.dto.js';
import { eventually } from '../../../test/helpers/eventually.js';
import { NvidiaGpusReader, type NvidiaGpusOptions, nvidiaSmiBinary } from './nvidia-gpus.reader.js';

// The stand-in replays recordings (test/fixtures/nvidia-smi/README.md) as real nvidia-smi
// loops: these specs run real child processes, at intervals short enough to stay fast.
const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/nvidia-smi', import.meta.url));
const STAND_IN = join(FIXTURES, 'nvidia-smi');
const FAST: Omit<NvidiaGpusOptions, 'binary'> = {
  intervalMs: 50,
  appsIntervalMs: 50,
  restartDelayMs: 10,
  killTimeoutMs: 200,
};
const MIB = 1_048_576;

// The h100x8 recording, by hand: an idle board, its GPUs differing in temperature and power.
const h100 = (index: number, temperatureC: number, powerW: number): GpuStatsDto => ({
  index,
  name: 'NVIDIA H100 80GB HBM3',
  vendor: 'nvidia',
  utilization: 0,
  memoryUsed: 1_048_576,
  memoryTotal: 85_520_809_984,
  // 1 / 81559 MiB = 0.0012 %.
  memoryUsage: 0,
  temperatureC,
  powerW,
  powerLimitW: 700,
  fanPercent: null,
  clockMHz: 345,
  clockMaxMHz: 1980,
});
const H100X8 = [
  h100(0, 30, 100.89),
  h100(1, 30, 82.81),
  h100(2, 31, 85.98),
  h100(3, 29, 85.48),
  h100(4, 28, 84.94),
  h100(5, 30, 85.27),
  h100(6, 29, 86.05),
  h100(7, 29, 75.09),
];
// The rtx-2080-super recording's two iterations.
const RTX_IDLE: GpuStatsDto = {
  index: 0,
  name: 'NVIDIA GeForce RTX 2080 SUPER',
  vendor: 'nvidia',
  utilization: 0,
  memoryUsed: 224_395_264,
  memoryTotal: 8_589_934_592,
  // 214 / 8192 MiB.
  memoryUsage: 2.61,
  temperatureC: 40,
  powerW: 39.32,
  powerLimitW: 250,
  fanPercent: 38,
  clockMHz: 765,
  clockMaxMHz: 2145,
};
const RTX_LOAD: GpuStatsDto = {
  ...RTX_IDLE,
  utilization: 8,
  memoryUsed: 858_783_744,
  // 819 / 8192 MiB = 9.9976 %.
  memoryUsage: 10,
  temperatureC: 45,
  powerW: 111.5,
  clockMHz: 2055,
};

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('NvidiaGpusReader against the nvidia-smi stand-in', () => {
  let dir: string;
  let reader: NvidiaGpusReader | undefined;
  let warn: jest.SpiedFunction<Logger['warn']>;
  let log: jest.SpiedFunction<Logger['log']>;

  // The children the stand-in started, from the log it appends to.
  const spawned = (query?: 'query-gpu' | 'compute-apps') => {
    const file = join(dir, 'spawned.log');
    const lines = existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n') : [];
    return lines
      .map((line) => line.split(' '))
      .filter(([, asked]) => query === undefined || asked === query)
      .map(([pid]) => Number(pid));
  };
  const lines = (spy: typeof warn | typeof log, text: string) =>
    spy.mock.calls.filter(([message]) => String(message).includes(text));
  // Jest gives each spec file its own copy of process.env, which child processes do not see:
  // the stand-in's settings go through the reader's `env` option.
  const environment = (recording: string | undefined, path = process.env.PATH ?? '') => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PATH: path,
      NVIDIA_SMI_SPAWN_LOG: join(dir, 'spawned.log'),
    };
    if (recording === undefined) {
      delete env.NVIDIA_SMI_RECORDING;
    } else {
      env.NVIDIA_SMI_RECORDING = recording;
    }
    return env;
  };
  const start = async (recording: string | undefined, options: Partial<NvidiaGpusOptions> = {}) => {
    reader = new NvidiaGpusReader({
      binary: STAND_IN,
      env: environment(recording),
      ...FAST,
      ...options,
    });
    await reader.start();
    return reader;
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vitals-nvidia-'));
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'debug').mockImplementation(() => undefined);
  });

  afterEach(async () => {
    await reader?.stop();
    reader = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  it('should read the eight GPUs as recorded when the default recording plays', async () => {
    // Arrange & Act: start() waits for the first iteration.
    const gpus = await start(undefined);

    // Assert
    expect(gpus.read()).toEqual(H100X8);
    expect(warn).not.toHaveBeenCalled();
  });

  it('should sum the memory of a process over its GPUs when the compute apps loop answers', async () => {
    // Arrange
    const gpus = await start(undefined);

    // Act
    await eventually(() => gpus.processMemory().size === 3, 5000, 10);

    // Assert: gpu_burn (11345) holds 15690 MiB on each of GPUs 0 and 1.
    expect(gpus.processMemory()).toEqual(
      new Map([
        [11327, 2566 * MIB],
        [11328, 1542 * MIB],
        [11345, 32_904_314_880],
      ]),
    );
    expect(spawned('compute-apps')).toHaveLength(1);
  });

  it('should find nvidia-smi on PATH when given only its name', async () => {
    // Arrange
    const env = environment(undefined, `${FIXTURES}${delimiter}${process.env.PATH ?? ''}`);

    // Act
    const gpus = await start(undefined, { binary: 'nvidia-smi', env });

    // Assert
    expect(gpus.read()).toHaveLength(8);
    expect(spawned('query-gpu')).toHaveLength(1);
  });

  it.each([
    ['h100-mig', { utilization: null, fanPercent: null, powerW: 433.78, memoryUsed: 11125 * MIB }],
    ['quadro-p400', { powerW: null, powerLimitW: null, fanPercent: 34, memoryUsage: 0 }],
  ])(
    'should give nulls when the %s recording prints [N/A] or [Not Supported]',
    async (recording, expected) => {
      // Act
      const gpus = await start(recording);

      // Assert
      expect(gpus.read()).toEqual([expect.objectContaining(expected)]);
    },
  );

  it('should show the newest values when the iterations change', async () => {
    // Arrange
    const gpus = await start('rtx-2080-super');

    // Act & Assert: the recording alternates idle and load.
    await eventually(() => gpus.read()[0]?.utilization === 0, 5000, 5);
    expect(gpus.read()).toEqual([RTX_IDLE]);
    await eventually(() => gpus.read()[0]?.utilization === 8, 5000, 5);
    expect(gpus.read()).toEqual([RTX_LOAD]);
  });

  it.each([
    ['gpu-lost', 'is lost (nvidia-smi prints "[GPU is lost]")'],
    [
      'gpu-gone',
      'has not answered for 0.25 s (nvidia-smi prints "Unable to determine the device handle ' +
        'for GPU0000:5D:00.0: Unknown Error")',
    ],
  ])(
    'should leave out GPU 3 and log once each way when the %s recording drops it and it returns',
    async (recording, why) => {
      // Arrange: GPU 3 answers 10 iterations, is missing for about 30, and answers again.
      const gpus = await start(recording);
      const indexes = () => gpus.read().map((gpu) => gpu.index);

      // Act & Assert
      await eventually(() => indexes().length === 7, 10_000, 10);
      expect(indexes()).toEqual([0, 1, 2, 4, 5, 6, 7]);
      await eventually(() => indexes().length === 8, 10_000, 10);
      expect(gpus.read()).toEqual(H100X8);
      expect(lines(warn, `GPU 3 (NVIDIA H100 80GB HBM3) ${why}: left out`)).toHaveLength(1);
      expect(lines(log, 'GPU 3 (NVIDIA H100 80GB HBM3) answers again')).toHaveLength(1);
      expect(warn).toHaveBeenCalledTimes(1);
    },
  );

  it('should restart nvidia-smi and keep the values coming, logging once, when it keeps exiting', async () => {
    // Arrange: the GPU loop exits with 255 after three iterations, every time. A loop that
    // answers for healthyAfterMs is forgiven (and a later exit logged anew): 3 s here, which
    // three 50 ms iterations never reach however slowly the stand-in starts on a loaded machine.
    const gpus = await start('exits', { restartDelayMs: 100 });

    // Act
    await eventually(() => spawned('query-gpu').length >= 3, 10_000, 10);
    await eventually(() => gpus.read().length === 8, 5000, 10);

    // Assert
    expect(gpus.read()).toEqual(H100X8);
    const exits = lines(warn, 'exited with code 255: "Unknown Error"');
    expect(exits).toHaveLength(1);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('should read no GPU, log once and never retry when the binary does not exist', async () => {
    // Arrange
    const missing = join(dir, 'nvidia-smi');

    // Act
    const gpus = await start(undefined, { binary: missing });
    // The binary appears now: an absent one is not asked for again.
    await symlink(STAND_IN, missing);
    await sleep(500);

    // Assert
    expect(gpus.read()).toEqual([]);
    expect(gpus.processMemory().size).toBe(0);
    expect(spawned()).toEqual([]);
    expect(lines(log, `No nvidia-smi: ${missing} not found (spawn ENOENT)`)).toHaveLength(1);
    expect(warn).not.toHaveBeenCalled();
  });

  it('should read no GPU, log once and not try the processes when nothing is on PATH', async () => {
    // Arrange
    const env = environment(undefined, dir);

    // Act
    const gpus = await start(undefined, { binary: 'nvidia-smi', env });
    await sleep(200);

    // Assert
    expect(gpus.read()).toEqual([]);
    expect(lines(log, 'No nvidia-smi: nvidia-smi not found')).toHaveLength(1);
    expect(log).toHaveBeenCalledTimes(1);
  });

  it.each([
    ['no-devices', 'exited with code 6: "No devices were found"'],
    ['no-driver', `exited with code 9: "NVIDIA-SMI has failed because it couldn't communicate`],
  ])(
    'should read no GPU and log once over several retries when the %s recording plays',
    async (recording, message) => {
      // Arrange: waits from 60 × 2 ms, doubling.
      const gpus = await start(recording, { restartDelayMs: 2 });

      // Act
      await eventually(() => spawned('query-gpu').length >= 3, 10_000, 10);

      // Assert
      expect(gpus.read()).toEqual([]);
      expect(spawned('compute-apps')).toEqual([]);
      expect(lines(warn, message)).toHaveLength(1);
      expect(warn).toHaveBeenCalledTimes(1);
    },
  );

  it('should read the GPUs and log it once when the driver answers after failing twice', async () => {
    // Arrange: the first two runs fail as without a driver; the third reads the board.
    const gpus = await start('late-driver', { restartDelayMs: 2 });
    expect(gpus.read()).toEqual([]);

    // Act
    await eventually(() => gpus.read().length === 8, 10_000, 10);

    // Assert
    expect(gpus.read()).toEqual(H100X8);
    expect(spawned('query-gpu')).toHaveLength(3);
    expect(lines(warn, "couldn't communicate with the NVIDIA driver")).toHaveLength(1);
    expect(lines(log, 'nvidia-smi (GPUs) answers again')).toHaveLength(1);
  });

  it('should kill a silent nvidia-smi, start another and log once when it hangs', async () => {
    // Arrange: the loop prints two iterations, then nothing, and ignores SIGTERM.
    const gpus = await start('hang');
    expect(gpus.read()).toHaveLength(8);
    const [first] = spawned('query-gpu');

    // Act
    await eventually(() => spawned('query-gpu').length >= 3, 15_000, 10);

    // Assert
    expect(alive(first!)).toBe(false);
    expect(lines(warn, 'printed nothing for 0.5 s (a hung driver?): killed it')).toHaveLength(1);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('should forget a process after 2.5 apps intervals without its line when the apps stop', async () => {
    // Arrange: a frozen clock; the apps loop prints its processes once, then none.
    let clock = Date.now();
    const gpus = await start('apps-once', { appsIntervalMs: 100, now: () => clock });
    await eventually(() => gpus.processMemory().size === 3, 5000, 10);

    // Act & Assert
    clock += 250;
    expect(gpus.processMemory()).toEqual(
      new Map([
        [11327, 2566 * MIB],
        [11328, 1542 * MIB],
        [11345, 15690 * MIB],
      ]),
    );
    clock += 1;
    expect(gpus.processMemory().size).toBe(0);
  });

  it('should read through garbage lines and split chunks, logging each oddity once', async () => {
    // Arrange: a header, a row with units, a row cut short, a 5000-character line, and every
    // iteration written 7 bytes at a time.
    const gpus = await start('garbage');

    // Act: idle, load, and idle again: every odd line came at least twice.
    await eventually(() => gpus.read()[0]?.utilization === 0, 5000, 5);
    await eventually(() => gpus.read()[0]?.utilization === 8, 5000, 5);
    expect(gpus.read()).toEqual([RTX_LOAD]);
    await eventually(() => gpus.read()[0]?.utilization === 0, 5000, 5);

    // Assert
    expect(gpus.read()).toEqual([RTX_IDLE]);
    expect(lines(warn, 'longer than 4096 characters')).toHaveLength(1);
    expect(lines(warn, 'unexpected line, ignored: "index, name,')).toHaveLength(1);
    expect(
      lines(warn, 'unexpected line, ignored: "0, NVIDIA GeForce RTX 2080 SUPER, 0 %'),
    ).toHaveLength(1);
    expect(
      lines(warn, 'unexpected line, ignored: "0, NVIDIA GeForce RTX 2080 SUPER, 8, 819"'),
    ).toHaveLength(1);
    expect(warn).toHaveBeenCalledTimes(4);
  });

  it('should leave no nvidia-smi running and start none again when stopped', async () => {
    // Arrange
    const gpus = await start(undefined);
    await eventually(() => spawned().length === 2, 5000, 10);
    const pids = spawned();
    expect(pids.every(alive)).toBe(true);

    // Act
    await gpus.stop();
    await gpus.stop();
    await sleep(200);

    // Assert
    expect(pids.filter(alive)).toEqual([]);
    expect(spawned()).toEqual(pids);
  });

  it('should end a child that ignores SIGTERM with SIGKILL when stopped', async () => {
    // Arrange: the hang recording's loop ignores SIGTERM.
    const gpus = await start('hang');
    const [pid] = spawned('query-gpu');

    // Act
    await gpus.stop();

    // Assert
    expect(alive(pid!)).toBe(false);
  });
});

describe('nvidiaSmiBinary', () => {
  it.each([
    ['nvidia-smi', undefined],
    ['nvidia-smi', ''],
    ['/usr/bin/nvidia-smi', '/usr/bin/nvidia-smi'],
    [undefined, 'off'],
  ])('should give %p when VITALS_NVIDIA_SMI is %p', (expected, setting) => {
    // Act
    const binary = nvidiaSmiBinary(setting);

    // Assert
    expect(binary).toBe(expected);
  });
});
