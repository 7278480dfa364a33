import { Logger } from '@nestjs/common';
import type { GpuStatsDto } from '../../hub/dto/gpu-stats.dto.js';
import { NvidiaSmiClient, type NvidiaSmiStatus } from './nvidia-smi.client.js';
import {
  computeAppsArgs,
  gpuQueryArgs,
  isDeviceError,
  isUnavailable,
  parseComputeAppRow,
  parseGpuRow,
  printable,
  toGpuStats,
} from './nvidia-smi.parser.js';

export interface NvidiaGpusOptions {
  /** The nvidia-smi to run: a path, or a name looked up on PATH (see {@link nvidiaSmiBinary}). */
  binary: string;
  /**
   * The environment nvidia-smi runs in (its PATH finds a bare `binary`); default this process's.
   */
  env?: NodeJS.ProcessEnv;
  /** How often nvidia-smi prints the GPUs (its `-lms`): the sampler's tick. */
  intervalMs: number;
  /** How often it prints the processes holding GPU memory: the process table's cadence. */
  appsIntervalMs: number;
  /** The first wait before restarting a query that ended (doubling, up to 60 times). Default 1 s. */
  restartDelayMs?: number;
  /** How long a query has to end on SIGTERM before SIGKILL. Default 2 s. */
  killTimeoutMs?: number;
  /** The clock readings are aged by, in ms. Default `Date.now`. */
  now?: () => number;
}

/** The value of `VITALS_NVIDIA_SMI` as the binary to run: unset means `nvidia-smi` on PATH, `off` none. */
export function nvidiaSmiBinary(setting: string | undefined): string | undefined {
  const value = setting?.trim();
  if (value === 'off') {
    return undefined;
  }
  return value ? value : 'nvidia-smi';
}

// A GPU not heard from for this many intervals is left out (it fell off the bus, or nvidia-smi
// stopped answering); a process line is kept this many apps intervals (an iteration without
// apps prints nothing, so a process that ended is only seen by its absence).
const GPU_STALE_INTERVALS = 5;
const APP_STALE_INTERVALS = 2.5;
// A query printing nothing for this many intervals is taken as hung.
const SILENT_INTERVALS = 10;
const MAX_NOTED_LINES = 10;
const HOUSEKEEPING_INTERVALS = 2;

interface KnownGpu {
  stats: GpuStatsDto;
  /** When its last good row arrived (a `[GPU is lost]` row does not count). */
  heardAt: number;
  /** Its loss has been logged; its return will be. */
  lostLogged: boolean;
}

interface AppLine {
  pid: number;
  bytes: number | null;
  at: number;
}

/**
 * NVIDIA GPUs from two long-running nvidia-smi loops: one prints every GPU each interval, the
 * other the processes holding GPU memory. Both are forked once and read line by line, so the
 * sampler's tick reads the newest values without forking or waiting. A GPU not heard from for
 * five intervals is left out until it answers again (one line is logged each way); without
 * nvidia-smi, or with no device or driver, there are simply no GPUs.
 */
export class NvidiaGpusReader {
  private readonly logger = new Logger(NvidiaGpusReader.name);
  private readonly now: () => number;
  private readonly gpuClient: NvidiaSmiClient;
  private readonly appsClient: NvidiaSmiClient;
  private readonly gpus = new Map<number, KnownGpu>();
  private readonly apps = new Map<string, AppLine>();
  // Lines that were neither readings nor known complaints, each logged once.
  private readonly noted = new Set<string>();
  private lastRowAt = Number.NEGATIVE_INFINITY;
  // nvidia-smi's last complaint about a GPU ("Unable to determine the device handle …").
  private deviceError: { text: string; at: number } | undefined;
  // The rows of the iteration being read, by index, to tell when a new one starts.
  private batch = new Set<number>();
  private firstBatchRead = false;
  private settle: NodeJS.Timeout | undefined;
  private housekeeping: NodeJS.Timeout | undefined;
  private starting: Promise<void> | undefined;
  private ready: () => void = () => undefined;
  private stopping: Promise<void> | undefined;

  constructor(private readonly options: NvidiaGpusOptions) {
    this.now = options.now ?? Date.now;
    const restartDelayMs = options.restartDelayMs ?? 1000;
    const common = {
      binary: options.binary,
      env: options.env,
      restartDelayMs,
      killTimeoutMs: options.killTimeoutMs,
      // A loop that answered this long was fine: its failures before are forgotten.
      healthyAfterMs: Math.max(30 * restartDelayMs, SILENT_INTERVALS * options.intervalMs),
    };
    this.gpuClient = new NvidiaSmiClient({
      ...common,
      args: gpuQueryArgs(options.intervalMs),
      label: 'GPUs',
      silenceMs: SILENT_INTERVALS * options.intervalMs,
      onLine: (line) => this.onGpuLine(line),
      onStatus: (status) => this.onGpuStatus(status),
    });
    // No watchdog: an iteration without compute processes prints nothing.
    this.appsClient = new NvidiaSmiClient({
      ...common,
      args: computeAppsArgs(options.appsIntervalMs),
      label: 'GPU processes',
      onLine: (line) => this.onAppLine(line),
    });
  }

  /**
   * Starts the GPU loop (once). Resolves when its first iteration has been read, when it turned
   * out there is nothing to read (no binary, no device, no driver), or after two intervals and a
   * second at most; never rejects. The processes loop starts once GPUs have answered.
   */
  start(): Promise<void> {
    this.starting ??= new Promise<void>((resolve) => {
      if (this.stopping) {
        return resolve();
      }
      const deadline = setTimeout(() => this.ready(), 2 * this.options.intervalMs + 1000);
      this.ready = () => {
        clearTimeout(deadline);
        resolve();
      };
      // Losses are told within a few intervals; nothing here needs the tick's pace.
      this.housekeeping = setInterval(
        () => this.keep(),
        HOUSEKEEPING_INTERVALS * this.options.intervalMs,
      );
      this.housekeeping.unref();
      this.gpuClient.start();
    });
    return this.starting;
  }

  /** The GPUs heard from lately, by nvidia-smi's index, with their newest values. */
  read(): GpuStatsDto[] {
    const since = this.now() - GPU_STALE_INTERVALS * this.options.intervalMs;
    return [...this.gpus.values()]
      .filter((gpu) => gpu.heardAt >= since)
      .map((gpu) => gpu.stats)
      .sort((a, b) => a.index - b.index);
  }

  /** GPU memory held by each process (pid → bytes, over all its GPUs), as last printed. */
  processMemory(): ReadonlyMap<number, number> {
    const since = this.now() - APP_STALE_INTERVALS * this.options.appsIntervalMs;
    const byPid = new Map<number, number>();
    for (const app of this.apps.values()) {
      if (app.at >= since && app.bytes !== null) {
        byPid.set(app.pid, (byPid.get(app.pid) ?? 0) + app.bytes);
      }
    }
    return byPid;
  }

  /** Ends both loops and every timer; nothing restarts afterwards. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      clearTimeout(this.settle);
      clearInterval(this.housekeeping);
      this.ready();
      await Promise.all([this.gpuClient.stop(), this.appsClient.stop()]);
    })();
    return this.stopping;
  }

  private onGpuStatus(status: NvidiaSmiStatus): void {
    // Nothing to wait for: start() need not wait for its deadline.
    if (status === 'absent' || status === 'unavailable') {
      this.ready();
    }
  }

  private onGpuLine(line: string): boolean {
    const row = parseGpuRow(line);
    if (!row) {
      if (isDeviceError(line)) {
        this.deviceError = { text: printable(line), at: this.now() };
      } else if (!isUnavailable(line)) {
        // "No devices were found" and the like: the client logs them when the loop ends.
        this.unexpected('GPUs', line);
      }
      return false;
    }
    const now = this.now();
    this.lastRowAt = now;
    const known = this.gpus.get(row.index);
    const name = row.name ?? known?.stats.name ?? `GPU ${row.index}`;
    const stats = toGpuStats(row, name);
    if (row.lost) {
      // Figures of a lost GPU are nulls; it is left out once it has been silent long enough.
      if (known) {
        known.stats = stats;
        this.lost(known, 'is lost (nvidia-smi prints "[GPU is lost]")');
      }
    } else if (known) {
      known.stats = stats;
      known.heardAt = now;
      if (known.lostLogged) {
        known.lostLogged = false;
        this.logger.log(`GPU ${row.index} (${name}) answers again`);
      }
    } else {
      this.gpus.set(row.index, { stats, heardAt: now, lostLogged: false });
    }
    this.endOfBatch(row.index);
    return true;
  }

  // An iteration is complete when an index comes round again, or when no row followed for a
  // moment (nvidia-smi prints one iteration in one burst). Only the first one matters (start()
  // waits for it, and it starts the processes loop): after it, rows cost no timer.
  private endOfBatch(index: number): void {
    if (this.stopping || this.firstBatchRead) {
      return;
    }
    if (this.batch.has(index)) {
      this.batchRead();
      return;
    }
    this.batch.add(index);
    clearTimeout(this.settle);
    this.settle = setTimeout(() => this.batchRead(), Math.min(100, this.options.intervalMs / 2));
    this.settle.unref();
  }

  private batchRead(): void {
    clearTimeout(this.settle);
    this.firstBatchRead = true;
    this.batch.clear();
    this.ready();
    // The processes are asked for only where nvidia-smi finds GPUs.
    if (!this.stopping) {
      this.appsClient.start();
    }
  }

  private onAppLine(line: string): boolean {
    const app = parseComputeAppRow(line);
    if (!app) {
      if (!isUnavailable(line)) {
        this.unexpected('GPU processes', line);
      }
      return false;
    }
    this.apps.set(`${app.gpuUuid} ${app.pid}`, {
      pid: app.pid,
      bytes: app.memoryBytes,
      at: this.now(),
    });
    return true;
  }

  // Each interval: logs GPUs gone silent, forgets processes gone.
  private keep(): void {
    const now = this.now();
    // Only while nvidia-smi answers for the others: when the whole loop is silent (hung,
    // restarting) the client says so, once, rather than a line per GPU.
    if (now - this.lastRowAt <= 2 * this.options.intervalMs) {
      const since = now - GPU_STALE_INTERVALS * this.options.intervalMs;
      for (const gpu of this.gpus.values()) {
        if (gpu.heardAt < since) {
          const error =
            this.deviceError && this.deviceError.at >= since
              ? ` (nvidia-smi prints "${this.deviceError.text}")`
              : '';
          const seconds = (GPU_STALE_INTERVALS * this.options.intervalMs) / 1000;
          this.lost(gpu, `has not answered for ${seconds} s${error}`);
        }
      }
    }
    const appsSince = now - APP_STALE_INTERVALS * this.options.appsIntervalMs;
    for (const [key, app] of this.apps) {
      if (app.at < appsSince) {
        this.apps.delete(key);
      }
    }
  }

  private lost(gpu: KnownGpu, why: string): void {
    if (!gpu.lostLogged) {
      gpu.lostLogged = true;
      this.logger.warn(
        `GPU ${gpu.stats.index} (${gpu.stats.name}) ${why}: left out of the readings until it ` +
          'answers again',
      );
    }
  }

  private unexpected(query: string, line: string): void {
    const text = printable(line);
    if (this.noted.size < MAX_NOTED_LINES && !this.noted.has(text)) {
      this.noted.add(text);
      this.logger.warn(`nvidia-smi (${query}) printed an unexpected line, ignored: "${text}"`);
    }
  }
}
