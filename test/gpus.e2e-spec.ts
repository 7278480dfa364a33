import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import request from 'supertest';
import type { GpuStatsDto } from '../src/hub/dto/gpu-stats.dto.js';
import type { ProcessesDto } from '../src/hub/dto/processes.dto.js';
import { eventually } from './helpers/eventually.js';
import { ServiceProcess } from './helpers/service-process.js';

// The stand-in nvidia-smi and its recordings (test/fixtures/nvidia-smi/README.md), and recorded
// amdgpu trees (test/fixtures/drm/README.md).
const STAND_IN = fileURLToPath(new URL('./fixtures/nvidia-smi', import.meta.url));
const DRM = fileURLToPath(new URL('./fixtures/drm', import.meta.url));
const MiB = 1024 ** 2;

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const spawnsIn = (log: string): { pid: number; query: string }[] =>
  readFileSync(log, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [pid = '', query = ''] = line.split(' ');
      return { pid: Number(pid), query };
    });

describe('the compiled service on a host with eight NVIDIA H100s and two AMD cards', () => {
  let dir: string;
  let busy: ChildProcess;
  let service: ServiceProcess;
  let url: string;
  let spawnLog: string;

  const gpus = async (): Promise<GpuStatsDto[]> =>
    ((await request(url).get('/api/v1/metrics?groups=gpus')).body as { gpus: GpuStatsDto[] }).gpus;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vitals-gpus-e2e-'));
    // A busy process of this run holds 2 GiB on GPU 0 (the h100x8 board's first UUID), so that it
    // is among the top processes with its GPU memory.
    busy = spawn('sh', ['-c', 'while :; do :; done'], { stdio: 'ignore' });
    await once(busy, 'spawn');
    const recording = join(dir, 'recording');
    cpSync(join(STAND_IN, 'recordings', 'h100x8'), recording, { recursive: true });
    writeFileSync(
      join(recording, 'compute-apps.csv'),
      '# fields: gpu_uuid,pid,used_memory\n# this run\n' +
        `GPU-b42dd28e-ffdd-8720-1df0-98bd8cdc05b1, ${busy.pid}, 2048\n`,
    );
    const sysfs = join(dir, 'sys');
    cpSync(join(DRM, 'desktop'), sysfs, { recursive: true, verbatimSymlinks: true });
    const alerts = join(dir, 'alerts.yaml');
    writeFileSync(
      alerts,
      'rules:\n  - name: gpu-warm\n    metric: gpus[].temperatureC\n    warning: 30.5\n',
    );
    spawnLog = join(dir, 'spawns.log');
    writeFileSync(spawnLog, '');
    service = new ServiceProcess({
      VITALS_PORT: '0',
      VITALS_INTERVAL_MS: '250',
      VITALS_PROCESSES_INTERVAL_MS: '1000',
      VITALS_SYSFS: sysfs,
      VITALS_ALERTS_FILE: alerts,
      // `nvidia-smi` (the default) found on PATH, as on a real host.
      PATH: [STAND_IN, process.env.PATH ?? ''].join(delimiter),
      NVIDIA_SMI_RECORDING: recording,
      NVIDIA_SMI_SPAWN_LOG: spawnLog,
    });
    url = await service.listening(20_000);
  }, 30_000);

  afterAll(async () => {
    service?.kill();
    await service?.exited;
    busy?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('should list the NVIDIA GPUs by their index, then the AMD ones, with the recorded figures', async () => {
    const found = await gpus();

    expect(found.map((g) => [g.index, g.vendor])).toEqual([
      [0, 'nvidia'],
      [1, 'nvidia'],
      [2, 'nvidia'],
      [3, 'nvidia'],
      [4, 'nvidia'],
      [5, 'nvidia'],
      [6, 'nvidia'],
      [7, 'nvidia'],
      [8, 'amd'],
      [9, 'amd'],
    ]);
    // The recording's first row: 0, NVIDIA H100 80GB HBM3, 0, 1, 81559, 30, 100.89, 700.00,
    // [N/A], 345, 1980 (MiB, °C, W, %, MHz).
    expect(found[0]).toEqual({
      index: 0,
      name: 'NVIDIA H100 80GB HBM3',
      vendor: 'nvidia',
      utilization: 0,
      memoryUsed: 1 * MiB,
      memoryTotal: 81559 * MiB,
      memoryUsage: 0,
      temperatureC: 30,
      powerW: 100.89,
      powerLimitW: 700,
      fanPercent: null,
      clockMHz: 345,
      clockMaxMHz: 1980,
    });
    // The recorded RX 580: 11 % busy, 44 °C (test/fixtures/drm/README.md).
    expect(found[8]).toMatchObject({ utilization: 11, temperatureC: 44, powerLimitW: 155 });
  });

  it('should run nvidia-smi once for the GPUs and once for their processes, however many ticks pass', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1500)); // six ticks more

    expect(
      spawnsIn(spawnLog)
        .map((s) => s.query)
        .sort(),
    ).toEqual(['compute-apps', 'query-gpu']);
  });

  it('should give a process its GPU memory in the process table', async () => {
    const top = async () =>
      (
        (await request(url).get('/api/v1/metrics?groups=processes')).body as {
          processes: ProcessesDto;
        }
      ).processes.top;

    await eventually(
      async () => (await top()).some((p) => p.pid === busy.pid && p.gpuMemory !== undefined),
      10_000,
    );
    const ours = (await top()).find((p) => p.pid === busy.pid);

    expect(ours?.gpuMemory).toBe(2048 * MiB);
    expect((await top()).filter((p) => p.gpuMemory !== undefined)).toHaveLength(1);
  });

  it('should give Prometheus series labelled by gpu, name and vendor, and none for a figure not reported', async () => {
    const text = (await request(url).get('/metrics')).text;

    expect(text).toMatch(
      /^vitals_gpu_power_watts\{gpu="0",name="NVIDIA H100 80GB HBM3",vendor="nvidia"\} 100\.89$/m,
    );
    expect(text).toMatch(/^vitals_gpu_memory_total_bytes\{gpu="7",[^}]*\} 85520809984$/m);
    expect(text).toMatch(/^vitals_gpu_utilization_ratio\{gpu="8",[^}]*vendor="amd"\} 0\.11$/m);
    // The H100s' fans are [N/A]; the AMD cards' are read.
    expect(text).not.toMatch(/^vitals_gpu_fan_ratio\{gpu="0",/m);
    expect(text).toMatch(/^vitals_gpu_fan_ratio\{gpu="8",[^}]*\} 0\.19$/m);
  });

  it('should raise an alert per GPU past a rule, labelled by its index', async () => {
    await eventually(
      async () =>
        ((await request(url).get('/api/v1/alerts')).body as { active: unknown[] }).active.length >
        0,
      5000,
    );
    const active = (
      (await request(url).get('/api/v1/alerts')).body as {
        active: { rule: string; labels: Record<string, string>; value: number }[];
      }
    ).active;

    // h100x8 reads 30, 30, 31, 29, 28, 30, 29, 29 °C; the RX 580 44, the 6900 XT 56.
    expect(
      active
        .filter((a) => a.rule === 'gpu-warm')
        .map((a) => [a.labels.gpu, a.value])
        .sort(([a], [b]) => Number(a) - Number(b)),
    ).toEqual([
      ['2', 31],
      ['8', 44],
      ['9', 56],
    ]);
  });

  it('should leave no nvidia-smi running once it has stopped', async () => {
    const children = spawnsIn(spawnLog);

    service.signal('SIGTERM');
    const exit = await service.exited;

    expect(exit.code).toBe(0);
    await eventually(() => children.every((c) => !alive(c.pid)), 5000);
    expect(service.stderr).not.toMatch(/^\s+at /m);
  });
});

describe('the compiled service on a host without GPUs', () => {
  let service: ServiceProcess;

  afterAll(async () => {
    service?.kill();
    await service?.exited;
  });

  it('should give an empty gpus group and say once, not every tick, that there are none', async () => {
    service = new ServiceProcess({
      VITALS_PORT: '0',
      VITALS_INTERVAL_MS: '250',
      // A simpledrm, an nvidia and a virtio_gpu card: none read from sysfs.
      VITALS_SYSFS: join(DRM, 'skipped'),
      // nvidia-smi is not installed.
      PATH: join(tmpdir(), 'vitals-no-such-directory'),
    });
    const url = await service.listening(20_000);

    await new Promise((resolve) => setTimeout(resolve, 1500)); // six ticks
    const body = (await request(url).get('/api/v1/metrics?groups=gpus')).body as {
      gpus: GpuStatsDto[];
    };
    const output = service.stdout + service.stderr;

    expect(body.gpus).toEqual([]);
    const lines = (text: string) => output.split('\n').filter((line) => line.includes(text));
    expect(lines('nvidia-smi')).toEqual([
      expect.stringContaining('No nvidia-smi: nvidia-smi not found (spawn ENOENT)'),
    ]);
    expect(lines('No GPUs found')).toHaveLength(1);
  });
});
