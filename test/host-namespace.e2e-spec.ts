import {
  chmodSync,
  chownSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from './helpers/eventually.js';
import { NetworkNamespace, describeWithNetns, netnsName } from './helpers/netns.js';
import { ServiceProcess } from './helpers/service-process.js';

interface NetworkSample {
  network: Array<{ iface: string }> | null;
}

/** Interface names of a /proc/net/dev text, in file order. */
const interfacesOf = (netDev: string): string[] =>
  netDev
    .split('\n')
    .slice(2)
    .map((line) => line.split(':')[0]?.trim() ?? '')
    .filter((name) => name !== '');

const sorted = (names: Iterable<string>): string[] => [...names].sort();

// The compiled service on the real kernel, inside a network namespace as on a Kubernetes node
// (hundreds of veths) or in a container (its own namespace). It listens on 127.0.0.1 inside the
// namespace, so it is asked from inside too.
describeWithNetns('the service in a network namespace', () => {
  const PAIRS = 150; // 300 interfaces besides lo: /proc/net/dev is about ten pages
  let ns: NetworkNamespace;
  let service: ServiceProcess | undefined;
  let dir: string | undefined;

  /** GET `path` of the service from inside the namespace. */
  const get = async (url: string, path: string): Promise<NetworkSample> =>
    JSON.parse(
      await ns.exec(process.execPath, [
        '-e',
        'fetch(process.argv[1]).then(async (r) => { if (!r.ok) throw new Error(`${r.status}`); process.stdout.write(await r.text()); })',
        `${url}${path}`,
      ]),
    ) as NetworkSample;

  const start = async (env: Record<string, string>, user: string[] = []): Promise<string> => {
    service = new ServiceProcess({ VITALS_PORT: '0', VITALS_INTERVAL_MS: '250', ...env }, [
      'ip',
      'netns',
      'exec',
      ns.name,
      ...user,
    ]);
    return service.listening(20000);
  };

  beforeAll(async () => {
    ns = await NetworkNamespace.create(netnsName('host-e2e'), PAIRS);
  });

  afterEach(() => {
    service?.kill();
    service = undefined;
    if (dir) {
      rmSync(dir, { recursive: true, force: true });
      dir = undefined;
    }
  });

  // Runs whether the tests passed or not: no namespace is left behind.
  afterAll(async () => {
    service?.kill();
    await ns?.delete();
  });

  it('should list every interface of its namespace when there are 300 of them', async () => {
    const expected = (await ns.interfaces()).filter((name) => name !== 'lo');
    const url = await start({});

    const sample = await get(url, '/api/v1/metrics');

    expect(expected).toHaveLength(2 * PAIRS);
    expect(sorted(sample.network?.map((n) => n.iface) ?? [])).toEqual(sorted(expected));
  });

  it("should list the host's interfaces, not its own namespace's, when VITALS_PROCFS is a host's procfs", async () => {
    // Like /host/proc in the compose file: not the default path, though here the same procfs.
    dir = mkdtempSync(join(tmpdir(), 'vitals-hostproc-'));
    chmodSync(dir, 0o755); // mkdtemp's 0700 would hide the link from the unprivileged service
    const hostProc = join(dir, 'proc');
    symlinkSync('/proc', hostProc);
    const own = new Set(await ns.interfaces());
    // As an unprivileged user (nobody), like the image's `node`: the host init's net/dev must
    // be readable without root.
    // Its history goes to a directory it can write, as the image's volume is for `node`.
    const data = join(dir, 'data');
    mkdirSync(data);
    chownSync(data, 65534, 65534);
    const url = await start({ VITALS_PROCFS: hostProc, VITALS_DATA_DIR: data }, [
      'setpriv',
      '--reuid=65534',
      '--regid=65534',
      '--clear-groups',
    ]);
    const hostInterfaces = () =>
      interfacesOf(readFileSync('/proc/1/net/dev', 'latin1')).filter((name) => name !== 'lo');

    // Retried: other tests on this machine may add or remove interfaces in the root namespace.
    let listed: string[] = [];
    await eventually(async () => {
      const sample = await get(url, '/api/v1/metrics');
      listed = sorted(sample.network?.map((n) => n.iface) ?? []);
      return JSON.stringify(listed) === JSON.stringify(sorted(hostInterfaces()));
    }, 5000);

    expect(listed).toEqual(sorted(hostInterfaces()));
    expect(listed.filter((name) => own.has(name) && name.startsWith('va'))).toEqual([]);
  });
});
