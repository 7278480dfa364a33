import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Why this machine cannot make network namespaces (not root, no `ip`, not permitted), or
 * undefined when it can: found by making and deleting one, the only reliable test.
 */
function probeNetns(): string | undefined {
  if (process.platform !== 'linux') {
    return `network namespaces are Linux only (this is ${process.platform})`;
  }
  if (process.getuid?.() !== 0) {
    return 'making network namespaces needs root';
  }
  const name = `vitals-probe-${process.pid}`;
  const add = spawnSync('ip', ['netns', 'add', name], { encoding: 'utf8' });
  if (add.error) {
    return `no \`ip\` command (iproute2): ${add.error.message}`;
  }
  if (add.status !== 0) {
    return `\`ip netns add\` failed: ${add.stderr.trim()}`;
  }
  spawnSync('ip', ['netns', 'delete', name]);
  return undefined;
}

export const NETNS_UNAVAILABLE = probeNetns();

/**
 * `describe`, or `describe.skip` with the reason in its title when namespaces cannot be made
 * here. Never skips in CI: there the suite runs and fails, saying why.
 */
export function describeWithNetns(title: string, body: () => void): void {
  const reason = NETNS_UNAVAILABLE;
  if (reason === undefined) {
    describe(title, body);
  } else if (process.env.CI) {
    describe(title, () => {
      it('should run when CI is set (network namespaces are required there)', () => {
        throw new Error(`CI requires network namespaces: ${reason}`);
      });
    });
  } else {
    describe.skip(`${title} (skipped: ${reason})`, body);
  }
}

/** A network namespace of `pairs` veth pairs (both ends inside), for tests. */
export class NetworkNamespace {
  private constructor(readonly name: string) {}

  static async create(name: string, pairs: number): Promise<NetworkNamespace> {
    await run('ip', ['netns', 'add', name]);
    const ns = new NetworkNamespace(name);
    try {
      // One `ip` process for every link: hundreds of separate ones take seconds.
      const batch = Array.from(
        { length: pairs },
        (_, i) => `link add va${i} type veth peer name vb${i}`,
      );
      batch.push('link set lo up');
      await ns.batch(batch);
    } catch (error) {
      await ns.delete();
      throw error;
    }
    return ns;
  }

  /** The interfaces of the namespace, loopback included, as `ip link` names them. */
  async interfaces(): Promise<string[]> {
    const { stdout } = await run('ip', ['-n', this.name, '-o', 'link', 'show']);
    // "2: va0@vb0: <BROADCAST,…": the name ends at "@" (a veth's peer) or ":".
    return stdout
      .split('\n')
      .map((line) => /^\d+:\s+([^:@\s]+)/.exec(line)?.[1])
      .filter((name): name is string => name !== undefined);
  }

  /** Runs a command inside the namespace and returns its standard output. */
  async exec(command: string, args: readonly string[]): Promise<string> {
    const { stdout } = await run('ip', ['netns', 'exec', this.name, command, ...args], {
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  }

  /** Deletes the namespace; its veths go with it. Safe to call twice. */
  async delete(): Promise<void> {
    await run('ip', ['netns', 'delete', this.name]).catch(() => undefined);
  }

  private async batch(commands: readonly string[]): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const child = execFile('ip', ['-n', this.name, '-batch', '-'], (error) =>
        error ? reject(new Error(`ip -batch failed: ${error.message}`)) : resolve(),
      );
      child.stdin?.end(`${commands.join('\n')}\n`);
    });
  }
}

/** Prefix for a unique namespace name, per test process. */
export const netnsName = (label: string): string => `vitals-${label}-${process.pid}`;
