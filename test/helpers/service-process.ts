import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** The compiled service (`npm run build` first; `npm test` does) as a child process. */
export class ServiceProcess {
  stdout = '';
  stderr = '';
  readonly exited: Promise<Exit>;
  private readonly child: ChildProcess;

  /**
   * `prefix`: a command that runs the service, e.g. `['ip', 'netns', 'exec', 'ns']`; it must
   * exec node rather than fork it, so that signals reach the service.
   */
  constructor(env: Record<string, string>, prefix: readonly string[] = []) {
    const [command, ...args] = [...prefix, process.execPath, MAIN];
    // Removed when the process exits, unless the test named its own.
    const dataDir = env.VITALS_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'vitals-service-data-'));
    this.child = spawn(command, args, {
      // Only what a user would set: no inherited VITALS_* from the test runner.
      // Rollups in a fresh temporary directory unless the test names one.
      env: {
        PATH: process.env.PATH ?? '',
        NO_COLOR: '1',
        ...env,
        VITALS_DATA_DIR: dataDir,
      },
      // Away from the repository, so a developer's .env cannot change what is tested.
      cwd: tmpdir(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (this.stdout += chunk));
    this.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    this.exited = new Promise((resolve) =>
      this.child.on('exit', (code, signal) => {
        if (env.VITALS_DATA_DIR === undefined) {
          rmSync(dataDir, { recursive: true, force: true });
        }
        resolve({ code, signal });
      }),
    );
  }

  /** Resolves with the base URL once the service logs that it listens. */
  async listening(timeoutMs = 10000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = /Listening on (http:\/\/[\d.]+:\d+)/.exec(this.stdout);
      if (match?.[1]) {
        return match[1];
      }
      if (Date.now() > deadline || this.child.exitCode !== null) {
        throw new Error(`service did not start:\n${this.stdout}\n${this.stderr}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  signal(name: NodeJS.Signals): void {
    this.child.kill(name);
  }

  kill(): void {
    if (this.child.exitCode === null) {
      this.child.kill('SIGKILL');
    }
  }
}
