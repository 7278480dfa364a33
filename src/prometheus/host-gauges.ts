import type { ContainerStatsDto } from '../hub/dto/container-stats.dto.js';
import type { DiskUsageDto } from '../hub/dto/disk-usage.dto.js';
import type { Sample } from '../hub/sample.js';
import { type Emit, type Gauge, ratio } from './sample-gauge.js';
import { GPU_GAUGES } from './gpu-gauges.js';

const fsLabels = (d: DiskUsageDto) => ({ mountpoint: d.mount, device: d.fs, fstype: d.type });

// A container by its name (kept when it is recreated), its id without a runtime API.
const containerLabels = (c: ContainerStatsDto) => ({
  container: c.name ?? c.id,
  id: c.id,
  image: c.image ?? '',
  runtime: c.runtime,
});

const perContainer =
  (figure: (c: ContainerStatsDto) => number | null) =>
  (s: Sample, emit: Emit): void =>
    s.containers?.forEach((c) => emit(figure(c), containerLabels(c)));

// Every container of the host (the `containers` group), labelled container, id, image and
// runtime. Not the vitals_container_* series without those labels: they are vitals' own cgroup.
const CONTAINER_GAUGES: Gauge[] = [
  [
    'vitals_container_cpu_usage_ratio',
    'CPU a container used over the last tick, in cores (1 = one core busy)',
    perContainer((c) => ratio(c.cpu)),
  ],
  [
    'vitals_container_cpu_max_cores',
    "A container's CPU limit in cores (cpu.max); absent when unlimited",
    perContainer((c) => c.cpuLimit),
  ],
  [
    'vitals_container_memory_bytes',
    'Memory a container uses, without inactive file pages (as docker stats)',
    perContainer((c) => c.memory),
  ],
  [
    'vitals_container_memory_max_bytes',
    "A container's memory limit (memory.max); absent when unlimited",
    perContainer((c) => c.memoryLimit),
  ],
  [
    'vitals_container_memory_usage_ratio',
    'Memory a container uses, 0-1 of its limit; absent when unlimited',
    perContainer((c) => ratio(c.memoryUsage)),
  ],
  [
    'vitals_container_network_receive_bytes_per_second',
    "Bytes received per second in a container's network namespace (a pod's, once)",
    perContainer((c) => c.rxBytesPerSec),
  ],
  [
    'vitals_container_network_transmit_bytes_per_second',
    "Bytes sent per second in a container's network namespace (a pod's, once)",
    perContainer((c) => c.txBytesPerSec),
  ],
  [
    'vitals_container_read_bytes_per_second',
    'Bytes a container read from block devices per second',
    perContainer((c) => c.readBytesPerSec),
  ],
  [
    'vitals_container_written_bytes_per_second',
    'Bytes a container wrote to block devices per second',
    perContainer((c) => c.writeBytesPerSec),
  ],
  ['vitals_container_pids', 'Processes and threads in a container', perContainer((c) => c.pids)],
];

// Host gauges, node_exporter style: _bytes, _ratio (0-1), _seconds; labels cpu, mode,
// mountpoint, device, fstype, interface. Each reads the hub's latest sample at scrape time; a
// group that is null there (the host could not provide it) has no series.
export const HOST_GAUGES: Gauge[] = [
  [
    'vitals_cpu_usage_ratio',
    'CPU busy share (all but idle and iowait) over the last tick',
    (s, emit) => emit(ratio(s.cpu?.usage)),
  ],
  [
    'vitals_cpu_mode_ratio',
    'CPU time share by mode over the last tick',
    (s, emit) => {
      for (const mode of ['user', 'system', 'iowait', 'steal', 'idle'] as const) {
        emit(ratio(s.cpu?.[mode]), { mode });
      }
    },
  ],
  [
    'vitals_cpu_core_usage_ratio',
    'Busy share of each logical CPU over the last tick',
    (s, emit) => s.cpu?.cores.forEach((usage, cpu) => emit(ratio(usage), { cpu: String(cpu) })),
  ],
  ['vitals_cpus', 'Number of logical CPUs', (s, emit) => emit(s.cpu?.count)],
  ['vitals_load1', '1-minute load average', (s, emit) => emit(s.cpu?.load?.[0])],
  ['vitals_load5', '5-minute load average', (s, emit) => emit(s.cpu?.load?.[1])],
  ['vitals_load15', '15-minute load average', (s, emit) => emit(s.cpu?.load?.[2])],
  ['vitals_memory_total_bytes', 'Physical memory', (s, emit) => emit(s.memory?.total)],
  [
    'vitals_memory_used_bytes',
    'Memory in use: total minus available',
    (s, emit) => emit(s.memory?.used),
  ],
  [
    'vitals_memory_available_bytes',
    'Memory available without swapping',
    (s, emit) => emit(s.memory?.available),
  ],
  ['vitals_memory_usage_ratio', 'Memory in use, 0-1', (s, emit) => emit(ratio(s.memory?.usage))],
  ['vitals_swap_total_bytes', 'Swap space', (s, emit) => emit(s.memory?.swapTotal)],
  ['vitals_swap_used_bytes', 'Swap space in use', (s, emit) => emit(s.memory?.swapUsed)],
  [
    'vitals_filesystem_size_bytes',
    'Filesystem size',
    (s, emit) => s.disks?.forEach((d) => emit(d.size, fsLabels(d))),
  ],
  [
    'vitals_filesystem_used_bytes',
    'Filesystem space in use',
    (s, emit) => s.disks?.forEach((d) => emit(d.used, fsLabels(d))),
  ],
  [
    'vitals_filesystem_usage_ratio',
    'Filesystem space in use, 0-1, as df counts it',
    (s, emit) => s.disks?.forEach((d) => emit(ratio(d.usage), fsLabels(d))),
  ],
  [
    'vitals_disk_read_bytes_per_second',
    'Bytes read from the physical disks per second',
    (s, emit) => emit(s.diskIo?.readBytesPerSec),
  ],
  [
    'vitals_disk_written_bytes_per_second',
    'Bytes written to the physical disks per second',
    (s, emit) => emit(s.diskIo?.writeBytesPerSec),
  ],
  [
    'vitals_disk_reads_per_second',
    'Reads completed per second',
    (s, emit) => emit(s.diskIo?.readOpsPerSec),
  ],
  [
    'vitals_disk_writes_per_second',
    'Writes completed per second',
    (s, emit) => emit(s.diskIo?.writeOpsPerSec),
  ],
  [
    'vitals_network_receive_bytes_per_second',
    'Bytes received per second',
    (s, emit) => s.network?.forEach((n) => emit(n.rxBytesPerSec, { interface: n.iface })),
  ],
  [
    'vitals_network_transmit_bytes_per_second',
    'Bytes sent per second',
    (s, emit) => s.network?.forEach((n) => emit(n.txBytesPerSec, { interface: n.iface })),
  ],
  ['vitals_processes', 'Processes', (s, emit) => emit(s.processes?.total)],
  [
    'vitals_processes_running',
    'Processes running or runnable',
    (s, emit) => emit(s.processes?.running),
  ],
  [
    'vitals_cpu_temperature_celsius',
    'CPU package temperature',
    (s, emit) => emit(s.sensors?.cpuTempC),
  ],
  ['vitals_uptime_seconds', 'Seconds since the host booted', (s, emit) => emit(s.uptime)],
  [
    'vitals_event_loop_lag_seconds',
    "The vitals process's event-loop delay over its last tick, 99th percentile",
    (s, emit) => emit(s.self.eventLoopLagMs / 1000),
  ],
  [
    'vitals_container_info',
    'Container detection: 1, with what was found as labels',
    (s, emit) => {
      const container = s.container;
      if (container) {
        emit(1, {
          in_container: String(container.inContainer),
          cgroup: container.cgroup ?? 'none',
          host_proc: String(container.hostProc),
        });
      }
    },
  ],
  [
    'vitals_container_memory_limit_bytes',
    "Memory limit of vitals' cgroup",
    (s, emit) => emit(s.container?.memoryLimit),
  ],
  [
    'vitals_container_cpu_limit_cores',
    "CPU quota of vitals' cgroup, in cores",
    (s, emit) => emit(s.container?.cpuLimit),
  ],
  ...CONTAINER_GAUGES,
  ...GPU_GAUGES,
  [
    'vitals_sample_timestamp_seconds',
    'When the latest sample was taken, Unix time',
    (s, emit) => emit(Date.parse(s.timestamp) / 1000),
  ],
];
