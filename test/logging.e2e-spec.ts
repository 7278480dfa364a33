import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const ESC = '\u001b[';

/**
 * Runs the compiled service (`npm test` builds it first) until it logs that it listens, then
 * stops it, and returns everything it wrote. `argv` may wrap it (e.g. in `script`, for a TTY).
 */
function logsOf(argv: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const [command = '', ...args] = argv;
    const child = spawn(command, args, {
      env: {
        PATH: process.env.PATH ?? '',
        VITALS_PORT: '0',
        // Rollups in a fresh temporary directory, not a shared one under the cwd.
        VITALS_DATA_DIR: mkdtempSync(join(tmpdir(), 'vitals-logging-data-')),
        ...env,
      },
      cwd: tmpdir(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes('Listening on')) {
        child.kill('SIGTERM');
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = setTimeout(() => child.kill('SIGKILL'), 15000);
    child.on('error', reject);
    child.on('exit', () => {
      clearTimeout(timer);
      resolve(output);
    });
  });
}

describe('log output', () => {
  it('should write no colour codes when the output is a pipe (a file, journald, docker logs)', async () => {
    const output = await logsOf([process.execPath, MAIN], {});

    expect(output).toContain('Listening on');
    expect(output).not.toContain(ESC);
  });

  it('should write no colour codes for a bad setting either, where the output is a pipe', async () => {
    const output = await logsOf([process.execPath, MAIN], { VITALS_INTERVAL_MS: 'often' });

    expect(output).toContain('VITALS_INTERVAL_MS');
    expect(output).not.toContain(ESC);
  });

  it('should colour the levels for a person at a terminal, unless NO_COLOR is set', async () => {
    // script(1) gives the service a pseudo-terminal as its standard output.
    const tty = (env: string) => [
      'script',
      '-qefc',
      `${env} ${process.execPath} ${MAIN}`,
      '/dev/null',
    ];

    const coloured = await logsOf(tty(''), {});
    const plain = await logsOf(tty('NO_COLOR=1'), {});

    expect(coloured).toContain('Listening on');
    expect(coloured).toContain(ESC);
    expect(plain).toContain('Listening on');
    expect(plain).not.toContain(ESC);
  });
});
