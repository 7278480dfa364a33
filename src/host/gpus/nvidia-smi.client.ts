import { type ChildProcess, spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { Logger } from '@nestjs/common';
import { errorMessage } from '../../common/error-message.js';
import { isUnavailable, lineSplitter, printable } from './nvidia-smi.parser.js';

/**
 * Where the query loop stands. `absent`: no such binary (never retried); `unavailable`: it ran
 * but found no GPU to read (no device, no driver) and is asked again now and then; `exited` and
 * `hung`: it had been answering, and is restarted soon.
 */
export type NvidiaSmiStatus =
  'starting' | 'running' | 'absent' | 'unavailable' | 'exited' | 'hung' | 'stopped';

export interface NvidiaSmiClientOptions {
  /** The nvidia-smi to run: a path, or a name looked up on PATH. */
  binary: string;
  args: readonly string[];
  /** The environment it runs in; default this process's. */
  env?: NodeJS.ProcessEnv;
  /** What the loop reads, for log lines ("GPUs", "GPU processes"). */
  label: string;
  /**
   * The first wait before starting a loop that ended; it doubles at each failure in a row up to
   * 60 times itself. A loop that found no GPU waits 60 times longer (1 min), up to 600 (10 min).
   */
  restartDelayMs: number;
  /** How long a loop may stay silent before it is taken as hung and killed; unset: never. */
  silenceMs?: number;
  /** How long a loop must have answered for the failures before it to be forgotten. */
  healthyAfterMs: number;
  /** How long a child has to end on SIGTERM before SIGKILL. */
  killTimeoutMs?: number;
  /** The longest stdout line taken; longer ones are dropped. */
  maxLineLength?: number;
  /** Each stdout line; returns whether it was a reading (rather than a message). */
  onLine: (line: string) => boolean;
  /** Each change of {@link NvidiaSmiStatus}. */
  onStatus?: (status: NvidiaSmiStatus) => void;
}

// One child process, from spawn to close.
interface Run {
  child: ChildProcess;
  startedAt: number;
  /** It printed at least one reading. */
  answered: boolean;
  /** When it printed its last reading (performance.now()). */
  lastReadingAt: number;
  /** Killed by the watchdog. */
  hung: boolean;
  /** The first line that was not a reading, on stdout, and the first on stderr. */
  stdoutNote?: string;
  stderrNote?: string;
  closed: Promise<void>;
}

const SHORT_CAP = 60;
const LONG_START = 60;
const LONG_CAP = 600;
// nvidia-smi can take seconds to print its first iteration (NVML starting up every GPU
// without the persistence daemon): the watchdog allows this much before the first output.
const FIRST_OUTPUT_GRACE_MS = 30_000;

/**
 * The one thing that runs nvidia-smi: one long-running `-lms` query loop as a child process
 * whose stdout is handed over line by line. When the child ends it is started again with
 * backoff; when it stays silent too long (a hung driver) it is killed and started again; when
 * the binary does not exist, nothing more is tried. Each kind of failure is logged once, with
 * nvidia-smi's own message, and once more when the loop answers again.
 */
export class NvidiaSmiClient {
  private readonly logger = new Logger(NvidiaSmiClient.name);
  private readonly killTimeoutMs: number;
  private readonly maxLineLength: number;
  private state: NvidiaSmiStatus = 'starting';
  private run: Run | undefined;
  private restart: NodeJS.Timeout | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  private watchdogRun: Run | undefined;
  private watchdogMs: number | undefined;
  private healthy: NodeJS.Timeout | undefined;
  private attempt = 0;
  // The failure logged last (kind, and message for `unavailable`), until the loop recovers.
  private logged: { status: NvidiaSmiStatus; key: string } | undefined;
  private overlongLogged = false;
  private started = false;
  private stopping: Promise<void> | undefined;

  constructor(private readonly options: NvidiaSmiClientOptions) {
    this.killTimeoutMs = options.killTimeoutMs ?? 2000;
    this.maxLineLength = options.maxLineLength ?? 4096;
  }

  get status(): NvidiaSmiStatus {
    return this.state;
  }

  /** The pid of the running child, if any. */
  get pid(): number | undefined {
    return this.run?.child.pid;
  }

  /** Starts the loop (once). */
  start(): void {
    if (this.started || this.stopping) {
      return;
    }
    this.started = true;
    this.spawn();
  }

  /** Ends the child (SIGTERM, then SIGKILL) and every timer; nothing is started afterwards. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      clearTimeout(this.restart);
      const run = this.run;
      if (run) {
        this.kill(run.child);
        await run.closed;
      }
      this.setStatus('stopped');
    })();
    return this.stopping;
  }

  private spawn(): void {
    let child: ChildProcess;
    try {
      child = spawn(this.options.binary, [...this.options.args], {
        env: this.options.env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (error) {
      // Arguments spawn() refuses outright (an empty binary name): nothing to retry.
      this.failed(undefined, 'absent', errorMessage(error));
      return;
    }
    let markClosed: () => void = () => undefined;
    const run: Run = {
      child,
      startedAt: performance.now(),
      answered: false,
      lastReadingAt: 0,
      hung: false,
      closed: new Promise((resolve) => (markClosed = resolve)),
    };
    this.run = run;
    let over = false;
    const end = (describe: () => { status: NvidiaSmiStatus; message: string }) => {
      if (over) {
        return;
      }
      over = true;
      this.ended(run, describe);
      markClosed();
    };

    const lines = lineSplitter(
      this.maxLineLength,
      (line) => this.onLine(run, line),
      () => this.onOverlong(),
    );
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      this.arm(run, this.options.silenceMs);
      lines.push(chunk);
    });
    child.stderr?.setEncoding('utf8');
    let stderr = '';
    child.stderr?.on('data', (chunk: string) => {
      // Only its first line is kept; the rest is read and dropped so the child never blocks.
      if (run.stderrNote === undefined) {
        stderr = (stderr + chunk).slice(0, this.maxLineLength);
        const line = stderr.split('\n').find((text) => text.trim() !== '');
        if (line !== undefined && (stderr.includes('\n') || stderr.length >= this.maxLineLength)) {
          run.stderrNote = printable(line);
        }
      }
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      // A child that could not be started: no 'close' follows for sure.
      if (child.pid === undefined) {
        end(() =>
          error.code === 'ENOENT'
            ? { status: 'absent', message: `${this.options.binary} not found (spawn ENOENT)` }
            : { status: 'unavailable', message: errorMessage(error) },
        );
      }
    });
    child.on('close', (code, signal) => {
      lines.end();
      if (run.stderrNote === undefined && stderr.trim() !== '') {
        run.stderrNote = printable(stderr.split('\n').find((text) => text.trim() !== '') ?? '');
      }
      end(() => this.describe(run, code, signal));
    });
    this.arm(
      run,
      this.options.silenceMs && Math.max(this.options.silenceMs, FIRST_OUTPUT_GRACE_MS),
    );
  }

  private onLine(run: Run, line: string): void {
    if (line.trim() === '') {
      return;
    }
    if (this.options.onLine(line)) {
      run.lastReadingAt = performance.now();
      if (!run.answered) {
        run.answered = true;
        this.answering(run);
      }
    } else {
      run.stdoutNote ??= printable(line);
    }
  }

  private onOverlong(): void {
    if (!this.overlongLogged) {
      this.overlongLogged = true;
      this.logger.warn(
        `nvidia-smi (${this.options.label}) printed a line longer than ${this.maxLineLength} ` +
          'characters: dropped (and any more such lines, not logged again)',
      );
    }
  }

  // A child printed its first reading.
  private answering(run: Run): void {
    this.setStatus('running');
    // A loop that found no GPU before is news at once; one that crashed or hung is forgiven
    // only once it has answered a while (else a crash loop would log at every restart).
    if (this.logged?.status === 'unavailable' || this.logged?.status === 'absent') {
      this.recovered();
    }
    this.checkHealthy(run, this.options.healthyAfterMs - (performance.now() - run.startedAt));
  }

  // A child that has lived long enough and still prints readings ran well: its failures before
  // are forgotten (one gone quiet, about to be taken as hung, did not).
  private checkHealthy(run: Run, inMs: number): void {
    this.healthy = setTimeout(
      () => {
        if (this.run !== run) {
          return;
        }
        const silenceMs = this.options.silenceMs;
        if (silenceMs && performance.now() - run.lastReadingAt > silenceMs / 2) {
          this.checkHealthy(run, silenceMs / 2);
          return;
        }
        this.attempt = 0;
        if (this.logged) {
          this.recovered();
        }
      },
      Math.max(0, inMs),
    );
    this.healthy.unref();
  }

  private recovered(): void {
    this.logger.log(`nvidia-smi (${this.options.label}) answers again`);
    this.logged = undefined;
  }

  // (Re)starts the silence watchdog of the running child.
  private arm(run: Run, silenceMs: number | undefined): void {
    if (this.watchdog && this.watchdogRun === run && this.watchdogMs === silenceMs) {
      // The same child printing again: push the same timer back rather than make a new one.
      this.watchdog.refresh();
      return;
    }
    clearTimeout(this.watchdog);
    this.watchdogRun = run;
    this.watchdogMs = silenceMs;
    if (!silenceMs || this.run !== run) {
      this.watchdog = undefined;
      return;
    }
    this.watchdog = setTimeout(() => {
      if (this.run === run && !this.stopping) {
        run.hung = true;
        this.kill(run.child);
      }
    }, silenceMs);
    this.watchdog.unref();
  }

  private describe(
    run: Run,
    code: number | null,
    signal: NodeJS.Signals | null,
  ): { status: NvidiaSmiStatus; message: string } {
    if (run.hung) {
      const seconds = (this.options.silenceMs ?? 0) / 1000;
      return { status: 'hung', message: `printed nothing for ${seconds} s (a hung driver?)` };
    }
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    const said = run.stderrNote || run.stdoutNote;
    const message = said ? `${how}: "${said}"` : how;
    // Exiting before any reading, or saying there is no GPU or driver: nothing to read here.
    const unavailable = !run.answered || (said !== undefined && isUnavailable(said));
    return { status: unavailable ? 'unavailable' : 'exited', message };
  }

  private ended(run: Run, describe: () => { status: NvidiaSmiStatus; message: string }): void {
    clearTimeout(this.watchdog);
    this.watchdog = undefined;
    clearTimeout(this.healthy);
    if (this.run === run) {
      this.run = undefined;
    }
    if (this.stopping) {
      return;
    }
    const { status, message } = describe();
    this.failed(run, status, message);
  }

  private failed(run: Run | undefined, status: NvidiaSmiStatus, message: string): void {
    this.setStatus(status);
    const what = `nvidia-smi (${this.options.label})`;
    if (status === 'absent') {
      this.note(status, status, `No nvidia-smi: ${message}; no NVIDIA GPU is read`);
      return;
    }
    this.attempt++;
    const base = this.options.restartDelayMs;
    const delay =
      status === 'unavailable'
        ? Math.min(LONG_CAP * base, LONG_START * base * 2 ** (this.attempt - 1))
        : Math.min(SHORT_CAP * base, base * 2 ** (this.attempt - 1));
    const after = run ? ` after ${seconds(performance.now() - run.startedAt)}` : '';
    this.note(
      status,
      status === 'unavailable' ? `${status} ${message}` : status,
      status === 'unavailable'
        ? `${what} ${message}: no NVIDIA GPU is read; asking again in ${seconds(delay)}, ` +
            'then less and less often'
        : status === 'hung'
          ? `${what} ${message}: killed it; starting it again in ${seconds(delay)}`
          : `${what} ${message}${after}; starting it again in ${seconds(delay)}`,
    );
    this.restart = setTimeout(() => {
      this.restart = undefined;
      if (!this.stopping) {
        this.spawn();
      }
    }, delay);
    this.restart.unref();
  }

  // Logs a failure unless it is the one logged last (until the loop recovers).
  private note(status: NvidiaSmiStatus, key: string, message: string): void {
    if (this.logged?.key === key) {
      return;
    }
    this.logged = { status, key };
    if (status === 'absent') {
      this.logger.log(message);
    } else {
      this.logger.warn(
        `${message} (not logged again while it ${status === 'unavailable' ? 'says so' : 'fails so'})`,
      );
    }
  }

  private setStatus(status: NvidiaSmiStatus): void {
    if (this.state !== status) {
      this.state = status;
      this.options.onStatus?.(status);
    }
  }

  private kill(child: ChildProcess): void {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) {
      return;
    }
    child.kill('SIGTERM');
    // Not unref'd: stop() waits for the child, and the child must end.
    const timer = setTimeout(() => child.kill('SIGKILL'), this.killTimeoutMs);
    child.once('close', () => clearTimeout(timer));
  }
}

function seconds(ms: number): string {
  return ms >= 10_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 100) / 10} s`;
}
