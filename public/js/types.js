// @ts-check
// The shapes the dashboard reads from the API, for the type checker only (nothing runs here).
// Every field may be missing or null: a group the host could not read is null, one left out by
// `groups=` is absent, and the page shows a dash for either.

/**
 * @typedef {object} Cpu
 * @property {number | null} [usage]
 * @property {number | null} [user]
 * @property {number | null} [system]
 * @property {number | null} [iowait]
 * @property {number | null} [steal]
 * @property {number | null} [idle]
 * @property {number[]} [cores]
 * @property {number[]} [load]
 */

/**
 * @typedef {object} Memory
 * @property {number | null} [usage]
 * @property {number | null} [used]
 * @property {number | null} [total]
 * @property {number | null} [available]
 * @property {number | null} [swapUsage]
 * @property {number | null} [swapUsed]
 * @property {number | null} [swapTotal]
 */

/**
 * @typedef {object} Disk
 * @property {string} mount
 * @property {number} usage
 * @property {number} used
 * @property {number} size
 * @property {string} type
 * @property {string} fs
 */

/**
 * @typedef {object} DiskIo
 * @property {number | null} [readBytesPerSec]
 * @property {number | null} [writeBytesPerSec]
 * @property {number | null} [readOpsPerSec]
 * @property {number | null} [writeOpsPerSec]
 */

/**
 * @typedef {object} NetworkRate
 * @property {string} iface
 * @property {number | null} [rxBytesPerSec]
 * @property {number | null} [txBytesPerSec]
 */

/**
 * @typedef {object} Process
 * @property {number} pid
 * @property {string | null} [name]
 * @property {number | null} [cpu]
 * @property {number | null} [memory]
 * @property {number | null} [rss]
 * @property {number | null} [gpuMemory] bytes of NVIDIA GPU memory it holds; absent when none
 */
/** @typedef {{ total?: number | null, running?: number | null, top?: Process[] }} Processes */

/**
 * @typedef {object} Container
 * @property {boolean} [inContainer]
 * @property {string | null} [cgroup]
 * @property {number | null} [memoryLimit]
 * @property {number | null} [cpuLimit]
 * @property {boolean} [hostProc]
 */

/**
 * One container on the host (the `containers` group). Figures the host does not expose for it
 * are null.
 * @typedef {object} ContainerStats
 * @property {string} id its first 12 hex characters
 * @property {string | null} [name] null without a runtime API
 * @property {string | null} [image]
 * @property {string} [runtime] docker, podman, containerd, crio, lxc, systemd-nspawn, unknown
 * @property {string} [cgroup]
 * @property {string | null} [pod] the Kubernetes pod's UID
 * @property {number | null} [cpu] % of one core (200: two cores busy)
 * @property {number | null} [cpuLimit] cores; null when unlimited
 * @property {number | null} [memory] bytes
 * @property {number | null} [memoryLimit] bytes; null when unlimited
 * @property {number | null} [memoryUsage] % of memoryLimit
 * @property {number | null} [rxBytesPerSec]
 * @property {number | null} [txBytesPerSec]
 * @property {string | null} [networkFrom] the id of the container whose network namespace it
 *   shares (its traffic is reported there); null when it has its own
 * @property {number | null} [readBytesPerSec]
 * @property {number | null} [writeBytesPerSec]
 * @property {number | null} [pids]
 */

/**
 * One GPU on the host (the `gpus` group). A figure its driver does not expose is null.
 * @typedef {object} Gpu
 * @property {number} index its number on the host (NVIDIA's own first, then DRM card order)
 * @property {string} [name] e.g. "NVIDIA A10"
 * @property {string} [vendor] nvidia, amd or intel
 * @property {number | null} [utilization] %
 * @property {number | null} [memoryUsed] bytes
 * @property {number | null} [memoryTotal] bytes
 * @property {number | null} [memoryUsage] % of memoryTotal
 * @property {number | null} [temperatureC]
 * @property {number | null} [powerW]
 * @property {number | null} [powerLimitW]
 * @property {number | null} [fanPercent]
 * @property {number | null} [clockMHz] the shader clock now
 * @property {number | null} [clockMaxMHz] its highest shader clock
 */

/** @typedef {{ cpu?: number | null, rss?: number | null, eventLoopLagMs?: number | null, subscribers?: number | null }} Self */

/**
 * One sample, as api/v1/metrics/history and the stream's `sample` events carry it.
 * @typedef {object} Sample
 * @property {string | number} id
 * @property {string} [timestamp]
 * @property {string} [host]
 * @property {number | null} [uptime]
 * @property {Cpu | null} [cpu]
 * @property {{ cpuTempC?: number | null } | null} [sensors]
 * @property {Memory | null} [memory]
 * @property {Disk[] | null} [disks]
 * @property {DiskIo | null} [diskIo]
 * @property {NetworkRate[] | null} [network]
 * @property {Processes | null} [processes]
 * @property {Container | null} [container]
 * @property {ContainerStats[] | null} [containers] [] when the host has none; null off Linux
 * @property {Gpu[] | null} [gpus] [] when the host has none; null when they could not be read
 * @property {Self | null} [self]
 */

/**
 * An alert change, as api/v1/alerts lists them and the stream's `alert` events carry them.
 * @typedef {object} Alert
 * @property {string} rule
 * @property {string} [host]
 * @property {string} severity 'warning', 'critical' or 'resolved'
 * @property {string} [metric]
 * @property {number | null} [value]
 * @property {number | null} [threshold]
 * @property {string} [since]
 * @property {Record<string, string>} [labels]
 */

export {};
