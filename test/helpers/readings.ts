import type { AlertChange } from '../../src/hub/alert-change.js';
import type { HostReading, SampleReading } from '../../src/hub/sample.js';

/** A host reading with every group present (none null), as tests build them. */
export type FullHostReading = { [G in keyof HostReading]: NonNullable<HostReading[G]> };

/** A plausible reading of every host group, with CPU usage `usage` % and memory a quarter used. */
export function hostReading(usage = 30): FullHostReading {
  return {
    cpu: {
      usage,
      user: usage / 2,
      system: usage / 2,
      iowait: 0,
      steal: 0,
      idle: 100 - usage,
      cores: [usage, usage],
      load: [0.5, 0.25, 0.125],
      count: 2,
    },
    memory: {
      total: 8 * 1024 ** 3,
      used: 2 * 1024 ** 3,
      available: 6 * 1024 ** 3,
      usage: 25,
      swapTotal: 0,
      swapUsed: 0,
      swapUsage: null,
    },
    disks: [{ mount: '/', fs: '/dev/vda', type: 'ext4', size: 1000, used: 400, usage: 40 }],
    diskIo: { readBytesPerSec: 0, writeBytesPerSec: 4096, readOpsPerSec: 0, writeOpsPerSec: 1 },
    network: [{ iface: 'eth0', rxBytesPerSec: 1000, txBytesPerSec: 500 }],
    processes: {
      total: 80,
      running: 1,
      top: [{ pid: 1, name: 'init', cpu: 0.5, memory: 0.1, rss: 8 * 1024 ** 2 }],
    },
    sensors: { cpuTempC: null },
    uptime: 3600,
    container: {
      inContainer: false,
      cgroup: 'v2',
      memoryLimit: null,
      cpuLimit: null,
      hostProc: true,
    },
    containers: [
      {
        id: '3f2a9c1b7d4e',
        name: 'web',
        image: 'nginx:1.27',
        runtime: 'docker',
        cgroup:
          '/system.slice/docker-3f2a9c1b7d4e0000000000000000000000000000000000000000000000000000.scope',
        pod: null,
        cpu: usage / 4,
        cpuLimit: 2,
        memory: 100 * 1024 ** 2,
        memoryLimit: 512 * 1024 ** 2,
        memoryUsage: 19.53,
        rxBytesPerSec: 1000,
        txBytesPerSec: 200,
        networkFrom: null,
        readBytesPerSec: 0,
        writeBytesPerSec: 4096,
        pids: 12,
      },
    ],
    gpus: [
      {
        index: 0,
        name: 'NVIDIA A10',
        vendor: 'nvidia',
        utilization: usage,
        memoryUsed: 6 * 1024 ** 3,
        memoryTotal: 24 * 1024 ** 3,
        memoryUsage: 25,
        temperatureC: 61,
        powerW: 143.2,
        powerLimitW: 150,
        fanPercent: 40,
        clockMHz: 1695,
        clockMaxMHz: 1695,
      },
    ],
  };
}

/** A reading as the sampler stamps it, before the hub numbers it. */
export function sampleReading(
  usage = 30,
): FullHostReading & Omit<SampleReading, keyof HostReading> {
  return {
    timestamp: '2026-11-24T11:00:00.000Z',
    host: 'web-1',
    ...hostReading(usage),
    self: { cpu: 0.2, rss: 90 * 1024 ** 2, eventLoopLagMs: 0.1, subscribers: 0 },
  };
}

/** A change of the high-memory alert on web-1, as the evaluator reports it. */
export function alertChange(overrides: Partial<AlertChange> = {}): AlertChange {
  return {
    rule: 'high-memory',
    metric: 'memory.usage',
    severity: 'warning',
    value: 90,
    threshold: 85,
    since: '2026-11-24T11:00:00.000Z',
    host: 'web-1',
    labels: {},
    ...overrides,
  };
}

/** A gateway's sample as it comes from the Redis Stream: entry id `eventId`, of `host`. */
export function remoteSample(eventId: string, host = 'web-1') {
  return { eventId, kind: 'sample' as const, sample: { id: 0, ...sampleReading(), host } };
}
