// Runs in a child process of `npm run bench -- containers`: builds a cgroup v2 tree of COUNT
// Docker containers (the recorded fixture's files, each container with its own process, network
// namespace and figures) in a temporary directory, then times ContainerCgroupsReader.read() as
// the sampler calls it every tick, and reports the RSS the containers add.
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ContainerCgroupsReader } from '../dist/host/containers/container-cgroups.reader.js';

const count = Number(process.argv[2]);
const reads = Number(process.argv[3] ?? 300);
const FIXTURE = fileURLToPath(new URL('../test/fixtures/cgroups/v2/', import.meta.url));
const SAMPLE = join(FIXTURE, 'cgroup/system.slice');
const template = join(
  SAMPLE,
  readdirSync(SAMPLE).find((name) => name.startsWith('docker-')),
);
const netDev = join(FIXTURE, 'proc/7001/net/dev');

const dir = mkdtempSync(join(tmpdir(), 'vitals-bench-cgroups-'));
const root = join(dir, 'cgroup');
const procfs = join(dir, 'proc');
mkdirSync(join(root, 'system.slice'), { recursive: true });
writeFileSync(join(root, 'cgroup.controllers'), 'cpuset cpu io memory hugetlb pids rdma misc\n');
// The host's init, on its own network namespace.
mkdirSync(join(procfs, '1/net'), { recursive: true });
mkdirSync(join(procfs, '1/ns'));
cpSync(netDev, join(procfs, '1/net/dev'));
symlinkSync('net:[4026531840]', join(procfs, '1/ns/net'));

const usage = [];
for (let i = 0; i < count; i++) {
  const id = i.toString(16).padStart(12, '0') + 'c'.repeat(52);
  const cgroup = join(root, 'system.slice', `docker-${id}.scope`);
  cpSync(template, cgroup, { recursive: true });
  const pid = 10_000 + i;
  writeFileSync(join(cgroup, 'cgroup.procs'), `${pid}\n`);
  mkdirSync(join(procfs, `${pid}/net`), { recursive: true });
  mkdirSync(join(procfs, `${pid}/ns`));
  cpSync(netDev, join(procfs, `${pid}/net/dev`));
  symlinkSync(`net:[${4026532000 + i}]`, join(procfs, `${pid}/ns/net`));
  usage.push({ file: join(cgroup, 'cpu.stat'), usec: 1_000_000 * i });
}

const clock = { ms: 0 };
const reader = new ContainerCgroupsReader({ cgroupRoot: root, procfs }, () => clock.ms);
global.gc?.();
const before = process.memoryUsage();
// The baseline reading, as the host reader takes it at start.
await reader.read();
const times = [];
for (let n = 0; n < reads; n++) {
  // A second passes and a tenth of the containers used some CPU (written outside the timing).
  clock.ms += 1000;
  for (let i = n % 10; i < count; i += 10) {
    usage[i].usec += 250_000;
    writeFileSync(usage[i].file, `usage_usec ${usage[i].usec}\nuser_usec 0\nsystem_usec 0\n`);
  }
  const started = performance.now();
  const containers = await reader.read();
  times.push(performance.now() - started);
  if (containers.length !== count) {
    throw new Error(`read ${containers.length} containers of ${count}`);
  }
}
global.gc?.();
const after = process.memoryUsage();
reader.close();
rmSync(dir, { recursive: true, force: true });
times.sort((a, b) => a - b);
const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
process.send({
  count,
  reads,
  p50: at(0.5),
  p99: at(0.99),
  max: times.at(-1),
  rssAdded: after.rss - before.rss,
  heapAdded: after.heapUsed - before.heapUsed,
});
