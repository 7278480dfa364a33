import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import type { GpuStatsDto } from '../../hub/dto/gpu-stats.dto.js';
import { DrmGpusReader } from './drm-gpus.reader.js';

// The recorded trees and where each figure comes from: test/fixtures/drm/README.md. Every
// expected figure below is worked out by hand from the numbers there.
const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/drm', import.meta.url));
const PCI_IDS = [join(FIXTURES, 'pci.ids')];
const linux = process.platform === 'linux' ? it : it.skip;

/** A copy of a recorded tree in a new temporary directory, links as they are, for a test to change. */
async function copyTree(name: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `vitals-drm-${name}-`));
  await cp(join(FIXTURES, name), dir, { recursive: true, verbatimSymlinks: true });
  return dir;
}

/** Replaces `from` with `to` in a file, failing when `from` is not there. */
async function rewrite(path: string, from: string, to: string): Promise<void> {
  const text = await readFile(path, 'latin1');
  if (!text.includes(from)) {
    throw new Error(`${path} does not contain ${JSON.stringify(from)}`);
  }
  await writeFile(path, text.replace(from, to));
}

/**
 * Ends the reads stuck on FIFOs: opening one for writing lets a waiting open through, and closing
 * it gives that read its end of file. Reads queued behind the stuck ones (libuv has 4 threads) get
 * stuck in turn, so this goes on until none has waited for half a second.
 */
async function releaseTraps(traps: readonly string[]): Promise<void> {
  for (let quiet = 0; quiet < 20;) {
    let released = false;
    for (const trap of traps) {
      try {
        closeSync(openSync(trap, constants.O_WRONLY | constants.O_NONBLOCK));
        released = true;
      } catch {
        // ENXIO: no read waiting on this one.
      }
    }
    quiet = released ? 0 : quiet + 1;
    await sleep(25);
  }
}

const NOTHING = {
  utilization: null,
  memoryUsed: null,
  memoryTotal: null,
  memoryUsage: null,
  temperatureC: null,
  powerW: null,
  powerLimitW: null,
  fanPercent: null,
  clockMHz: null,
  clockMaxMHz: null,
} satisfies Partial<GpuStatsDto>;

describe('DrmGpusReader on recorded trees', () => {
  let dirs: string[] = [];
  const copy = async (name: string): Promise<string> => {
    const dir = await copyTree(name);
    dirs.push(dir);
    return dir;
  };

  let warn: jest.SpiedFunction<Logger['warn']>;
  let debug: jest.SpiedFunction<Logger['debug']>;

  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    debug = jest.spyOn(Logger.prototype, 'debug').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });

  afterEach(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
    dirs = [];
  });

  it("should read procfs's recorded Vega and skip the i915 card's missing files when node_exporter's tree is read", async () => {
    const reader = new DrmGpusReader({ sysfs: join(FIXTURES, 'procfs'), pciIds: PCI_IDS });
    await reader.start();

    const gpus = await reader.read(0);

    expect(reader.count).toBe(2);
    expect(gpus).toEqual([
      {
        index: 0,
        name: 'AMD Radeon RX Vega 56/64',
        vendor: 'amd',
        ...NOTHING,
        utilization: 4,
        memoryUsed: 1490378752,
        memoryTotal: 8573157376,
        // 1490378752 / 8573157376 = 17.384…%
        memoryUsage: 17.38,
        // No hwmon in the recording: the clock is the starred pp_dpm_sclk level.
        clockMHz: 852,
        clockMaxMHz: 1630,
      },
      // Recorded with nothing but its driver link and uevent: named, and nothing more.
      { index: 1, name: 'Intel UHD Graphics 620', vendor: 'intel', ...NOTHING },
    ]);
  });

  it('should number the cards after indexOffset when two AMD cards are read after NVIDIA ones', async () => {
    const reader = new DrmGpusReader({ sysfs: join(FIXTURES, 'desktop'), pciIds: PCI_IDS });
    await reader.start();

    const gpus = await reader.read(2);

    expect(gpus).toEqual([
      {
        index: 2,
        name: 'AMD Radeon RX 470/480/570/570X/580/580X/590',
        vendor: 'amd',
        utilization: 11,
        memoryUsed: 536870912,
        memoryTotal: 4294967296,
        memoryUsage: 12.5,
        temperatureC: 44,
        // power1_average 41045000 µW
        powerW: 41,
        powerLimitW: 155,
        // fan1_input 595 of fan1_max 3200 RPM = 18.6 %
        fanPercent: 19,
        // freq1_input 798080000 Hz, not the starred 900 MHz level
        clockMHz: 798,
        clockMaxMHz: 1366,
      },
      {
        index: 3,
        name: 'AMD Radeon RX 6800/6800 XT / 6900 XT',
        vendor: 'amd',
        utilization: 3,
        memoryUsed: 668274688,
        memoryTotal: 17163091968,
        // 668274688 / 17163091968 = 3.893…%
        memoryUsage: 3.89,
        // edge 56000, not junction 59000 or mem 54000
        temperatureC: 56,
        powerW: 36,
        powerLimitW: 289,
        // zero-RPM at idle: 0 of 3400
        fanPercent: 0,
        clockMHz: 500,
        clockMaxMHz: 2660,
      },
    ]);
  });

  it('should read the frequencies, hwmon temperature and energy when the card is an Arc on i915', async () => {
    const dir = await copy('arc');
    const hwmon = join(
      dir,
      'devices/pci0000:00/0000:00:01.0/0000:01:00.0/0000:02:01.0/0000:03:00.0/hwmon/hwmon2',
    );
    let clock = 0;
    const reader = new DrmGpusReader({ sysfs: dir, pciIds: PCI_IDS, now: () => clock });
    await reader.start();
    const arc = {
      index: 0,
      name: 'Intel Arc A770',
      vendor: 'intel',
      ...NOTHING,
      temperatureC: 45,
      // power1_max 190000000 µW
      powerLimitW: 190,
      // gt_act_freq_mhz 0 (the GT in RC6), though 600 MHz is requested
      clockMHz: 0,
      clockMaxMHz: 2400,
    };

    clock = 1000;
    await rewrite(join(hwmon, 'energy1_input'), '12620000000', '12658400000');
    const first = await reader.read(0);
    clock = 3000;
    await rewrite(join(hwmon, 'energy1_input'), '12658400000', '12740800000');
    const second = await reader.read(0);

    // 38.4 J over 1 s, then 82.4 J over 2 s
    expect(first).toEqual([{ ...arc, powerW: 38.4 }]);
    expect(second).toEqual([{ ...arc, powerW: 41.2 }]);
  });

  it('should give no power when the energy counter went back, and power again from the next reading', async () => {
    const dir = await copy('arc');
    const energy = join(
      dir,
      'devices/pci0000:00/0000:00:01.0/0000:01:00.0/0000:02:01.0/0000:03:00.0/hwmon/hwmon2/energy1_input',
    );
    let clock = 0;
    const reader = new DrmGpusReader({ sysfs: dir, pciIds: PCI_IDS, now: () => clock });
    await reader.start();

    clock = 1000;
    await writeFile(energy, '1000000\n');
    const reset = await reader.read(0);
    clock = 2000;
    await writeFile(energy, '31000000\n');
    const after = await reader.read(0);

    expect(reset[0]!.powerW).toBeNull();
    // 30 J over 1 s
    expect(after[0]!.powerW).toBe(30);
  });

  it('should give no power on the first read when start found no energy counter to read', async () => {
    const dir = await copy('arc');
    const energy = join(
      dir,
      'devices/pci0000:00/0000:00:01.0/0000:01:00.0/0000:02:01.0/0000:03:00.0/hwmon/hwmon2/energy1_input',
    );
    await writeFile(energy, 'garbage\n');
    let clock = 0;
    const reader = new DrmGpusReader({ sysfs: dir, pciIds: PCI_IDS, now: () => clock });
    await reader.start();

    clock = 1000;
    await writeFile(energy, '12620000000\n');
    const first = await reader.read(0);
    clock = 2000;
    await writeFile(energy, '12645500000\n');
    const second = await reader.read(0);

    expect(first[0]!.powerW).toBeNull();
    // 25.5 J over 1 s
    expect(second[0]!.powerW).toBe(25.5);
  });

  it("should read gt0's frequencies and the card's energy when the card is on xe", async () => {
    const dir = await copy('xe');
    const energy = join(
      dir,
      'devices/pci0000:00/0000:00:01.0/0000:01:00.0/0000:02:01.0/0000:03:00.0/hwmon/hwmon3/energy1_input',
    );
    let clock = 0;
    const reader = new DrmGpusReader({ sysfs: dir, pciIds: PCI_IDS, now: () => clock });
    await reader.start();

    clock = 500;
    await rewrite(energy, '3418230000', '3440730000');
    const gpus = await reader.read(1);

    expect(gpus).toEqual([
      {
        index: 1,
        name: 'Intel Arc B580',
        vendor: 'intel',
        ...NOTHING,
        // temp2 "pkg", not temp3 "vram" (52000)
        temperatureC: 47,
        // energy1 "card": 22.5 J over 0.5 s
        powerW: 45,
        powerLimitW: 190,
        // tile0/gt0, not the media GT's 1200 / 1900
        clockMHz: 2400,
        clockMaxMHz: 2850,
      },
    ]);
  });

  linux(
    'should not read a sleeping card\'s sensor files when its runtime_status is "suspended"',
    async () => {
      const dir = await copy('laptop');
      const device = join(
        dir,
        'devices/pci0000:00/0000:00:01.0/0000:01:00.0/0000:02:00.0/0000:03:00.0',
      );
      // Reading any of these resumes the dGPU: each is a FIFO no one writes, where a read would hang.
      const traps = [
        'gpu_busy_percent',
        'mem_info_vram_used',
        'pp_dpm_sclk',
        'hwmon/hwmon5/temp1_input',
        'hwmon/hwmon5/power1_average',
        'hwmon/hwmon5/power1_cap',
        'hwmon/hwmon5/fan1_input',
        'hwmon/hwmon5/fan1_max',
        'hwmon/hwmon5/pwm1',
        'hwmon/hwmon5/freq1_input',
      ].map((file) => join(device, file));
      for (const trap of traps) {
        await rm(trap);
        execFileSync('mkfifo', [trap]);
      }
      const timeout = new AbortController();
      let hung = false;
      try {
        const reader = new DrmGpusReader({ sysfs: dir, pciIds: PCI_IDS });

        const gpus = await Promise.race([
          reader.start().then(() => reader.read(0)),
          sleep(2000, 'hung on a sensor file', { signal: timeout.signal }),
        ]);
        hung = gpus === 'hung on a sensor file';

        expect(gpus).toEqual([
          {
            index: 0,
            name: 'Intel Iris Xe Graphics',
            vendor: 'intel',
            ...NOTHING,
            clockMHz: 350,
            clockMaxMHz: 1400,
          },
          {
            index: 1,
            name: 'AMD Radeon RX 7600/7600 XT/7600M XT/7600S/7700S / PRO W7600',
            vendor: 'amd',
            ...NOTHING,
            // asleep, so idle; the VRAM size is a constant amdgpu answers without waking it
            utilization: 0,
            memoryTotal: 8573157376,
          },
        ]);
      } finally {
        timeout.abort();
        if (hung) {
          await releaseTraps(traps);
        }
      }
    },
  );

  it('should read a dGPU when it wakes, and keep its limits when it sleeps again', async () => {
    const dir = await copy('laptop');
    const status = join(
      dir,
      'devices/pci0000:00/0000:00:01.0/0000:01:00.0/0000:02:00.0/0000:03:00.0/power/runtime_status',
    );
    const reader = new DrmGpusReader({ sysfs: dir, pciIds: PCI_IDS });
    await reader.start();
    const dgpu = {
      index: 1,
      name: 'AMD Radeon RX 7600/7600 XT/7600M XT/7600S/7700S / PRO W7600',
      vendor: 'amd',
      ...NOTHING,
      utilization: 0,
      memoryTotal: 8573157376,
    };

    const asleep = await reader.read(0);
    await rewrite(status, 'suspended', 'active');
    const awake = await reader.read(0);
    await rewrite(status, 'active', 'suspended');
    const asleepAgain = await reader.read(0);

    expect(asleep[1]).toEqual(dgpu);
    expect(awake[1]).toEqual({
      ...dgpu,
      memoryUsed: 23068672,
      // 23068672 / 8573157376 = 0.269…%
      memoryUsage: 0.27,
      temperatureC: 53,
      powerW: 1,
      powerLimitW: 95,
      // fan1_input 0 of 4900 RPM (its pwm1 says 76 of 255: RPM first)
      fanPercent: 0,
      clockMHz: 0,
      clockMaxMHz: 1841,
    });
    expect(asleepAgain[1]).toEqual({ ...dgpu, powerLimitW: 95, clockMaxMHz: 1841 });
  });

  it('should leave an idle GPU that may sleep unread for its autosuspend delay, and read a busy one every tick', async () => {
    // The 6900 XT's power/control is `auto` with a 5000 ms autosuspend delay (recorded).
    const dir = await copy('desktop');
    const device = join(
      dir,
      'devices/pci0000:00/0000:00:01.1/0000:0a:00.0/0000:0b:00.0/0000:0c:00.0',
    );
    const busy = join(device, 'gpu_busy_percent');
    let clock = 0;
    const reader = new DrmGpusReader({ sysfs: dir, pciIds: PCI_IDS, now: () => clock });
    await reader.start();
    await rewrite(busy, '3', '0');
    const utilization = async (at: number) => {
      clock = at;
      return (await reader.read(0))[1]?.utilization;
    };

    const idle = await utilization(0);
    await rewrite(busy, '0', '80');
    // Within 5 s and a second of the idle reading its files are not read (that would keep it up).
    const resting = await utilization(5999);
    const readAgain = await utilization(6000);
    await rewrite(busy, '80', '90');
    const busyNextTick = await utilization(7001);
    await rewrite(busy, '90', '0');
    const idleAgain = await utilization(8001);
    await rewrite(join(device, 'power/runtime_status'), 'active', 'suspended');
    const slept = await utilization(9001);

    expect([idle, resting, readAgain, busyNextTick, idleAgain, slept]).toEqual([
      0, 0, 80, 90, 0, 0,
    ]);
    // Asleep, only the sleeping figures: nothing read from the sensors.
    expect((await reader.read(0))[1]?.temperatureC).toBeNull();
  });

  it('should read an idle GPU every tick when its runtime power management is off', async () => {
    const dir = await copy('desktop');
    const device = join(
      dir,
      'devices/pci0000:00/0000:00:01.1/0000:0a:00.0/0000:0b:00.0/0000:0c:00.0',
    );
    const busy = join(device, 'gpu_busy_percent');
    await rewrite(join(device, 'power/control'), 'auto', 'on');
    let clock = 0;
    const reader = new DrmGpusReader({ sysfs: dir, pciIds: PCI_IDS, now: () => clock });
    await reader.start();
    await rewrite(busy, '3', '0');

    const idle = (await reader.read(0))[1]?.utilization;
    await rewrite(busy, '0', '80');
    clock = 1000;
    const next = (await reader.read(0))[1]?.utilization;

    expect([idle, next]).toEqual([0, 80]);
  });

  it('should find no GPU when the cards are simpledrm, nvidia and virtio_gpu', async () => {
    const reader = new DrmGpusReader({ sysfs: join(FIXTURES, 'skipped'), pciIds: PCI_IDS });
    await reader.start();

    expect(reader.count).toBe(0);
    expect(await reader.read(0)).toEqual([]);
    expect(debug).toHaveBeenCalledWith(
      'card0: driver simple-framebuffer, not read from sysfs here',
    );
    expect(debug).toHaveBeenCalledWith('card1: driver nvidia, not read from sysfs here');
    expect(debug).toHaveBeenCalledWith('card2: driver virtio_gpu, not read from sysfs here');
  });

  it('should find no GPU when there is no /sys/class/drm', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vitals-drm-none-'));
    dirs.push(dir);
    const reader = new DrmGpusReader({ sysfs: dir, pciIds: PCI_IDS });

    await expect(reader.start()).resolves.toBeUndefined();

    expect(reader.count).toBe(0);
    expect(await reader.read(0)).toEqual([]);
  });

  it("should leave a card out and keep the others' numbers when its device is gone", async () => {
    const dir = await copy('desktop');
    const reader = new DrmGpusReader({ sysfs: dir, pciIds: PCI_IDS });
    await reader.start();

    await rm(join(dir, 'devices/pci0000:00/0000:00:03.1'), { recursive: true });
    const gpus = await reader.read(0);

    expect(gpus.map((gpu) => [gpu.index, gpu.name])).toEqual([
      [1, 'AMD Radeon RX 6800/6800 XT / 6900 XT'],
    ]);
    expect(warn).toHaveBeenCalledWith('card0: its device is gone; left out until it is back');
  });

  it('should null the figures of files that vanished when the device stays', async () => {
    const dir = await copy('desktop');
    const reader = new DrmGpusReader({ sysfs: dir, pciIds: PCI_IDS });
    await reader.start();

    await rm(join(dir, 'devices/pci0000:00/0000:00:03.1/0000:09:00.0/hwmon'), { recursive: true });
    const gpus = await reader.read(0);

    expect(gpus[0]).toEqual({
      index: 0,
      name: 'AMD Radeon RX 470/480/570/570X/580/580X/590',
      vendor: 'amd',
      ...NOTHING,
      utilization: 11,
      memoryUsed: 536870912,
      memoryTotal: 4294967296,
      memoryUsage: 12.5,
      // without freq1_input, the starred pp_dpm_sclk level
      clockMHz: 900,
      clockMaxMHz: 1366,
    });
  });

  it('should null a figure when its file holds garbage', async () => {
    const dir = await copy('desktop');
    const device = join(dir, 'devices/pci0000:00/0000:00:03.1/0000:09:00.0');
    await writeFile(join(device, 'gpu_busy_percent'), 'garbage\n');
    await writeFile(join(device, 'hwmon/hwmon4/power1_average'), '\n');
    await writeFile(join(device, 'hwmon/hwmon4/temp1_input'), 'N/A\n');
    await writeFile(join(device, 'hwmon/hwmon4/freq1_input'), '');
    await rewrite(join(device, 'pp_dpm_sclk'), '900Mhz *', '900Mhz ');
    const reader = new DrmGpusReader({ sysfs: dir, pciIds: PCI_IDS });
    await reader.start();

    const gpus = await reader.read(0);

    expect(gpus[0]).toMatchObject({
      utilization: null,
      powerW: null,
      temperatureC: null,
      // neither a measured clock nor a starred level: none
      clockMHz: null,
      clockMaxMHz: 1366,
      powerLimitW: 155,
    });
  });

  it('should name the cards by their ids when there is no PCI ids database', async () => {
    const reader = new DrmGpusReader({
      sysfs: join(FIXTURES, 'procfs'),
      pciIds: [join(FIXTURES, 'no-such.ids')],
    });
    await reader.start();

    const gpus = await reader.read(0);

    expect(gpus.map((gpu) => gpu.name)).toEqual(['AMD GPU [1002:687f]', 'Intel GPU [8086:5917]']);
  });

  it('should use the first database found when the first path is missing', async () => {
    const reader = new DrmGpusReader({
      sysfs: join(FIXTURES, 'procfs'),
      pciIds: [join(FIXTURES, 'no-such.ids'), ...PCI_IDS],
    });
    await reader.start();

    const gpus = await reader.read(0);

    expect(gpus.map((gpu) => gpu.name)).toEqual([
      'AMD Radeon RX Vega 56/64',
      'Intel UHD Graphics 620',
    ]);
  });
});
