import { IsIn, IsInt, IsString, Matches, Min } from 'class-validator';
import { IsFiniteNumber, Nullable } from '../../common/dto/schema-decorators.js';

/** The container runtimes vitals tells apart, by cgroup path or the runtime's API. */
export const CONTAINER_RUNTIMES = [
  'docker',
  'podman',
  'containerd',
  'crio',
  'lxc',
  'systemd-nspawn',
  'unknown',
] as const;
export type ContainerRuntime = (typeof CONTAINER_RUNTIMES)[number];

/**
 * One container on the host, found in the cgroup tree: its CPU, memory, I/O and network over
 * the last tick. A figure the host does not expose for it is null, never a made-up 0.
 */
export class ContainerStatsDto {
  /** The container's id, its first 12 hex characters (as `docker ps` shows it). */
  @Matches(/^[0-9a-f]{12}$/)
  id!: string;
  /** The runtime's name for it (without Docker's leading "/"); null without a runtime API. */
  @Nullable()
  @IsString()
  name!: string | null;
  /** The image it runs; null without a runtime API. */
  @Nullable()
  @IsString()
  image!: string | null;
  /** What runs it, from its cgroup path (or the runtime's API). */
  @IsIn(CONTAINER_RUNTIMES)
  runtime!: ContainerRuntime;
  /** Its cgroup, relative to the cgroup mount, e.g. "/system.slice/docker-3f2a….scope". */
  @IsString()
  cgroup!: string;
  /** The Kubernetes pod's UID when it runs in one (its cgroup path names it), else null. */
  @Nullable()
  @IsString()
  pod!: string | null;
  /** CPU used over the last tick, % of one core (200 = two cores busy); null on the first reading. */
  @Nullable()
  @IsFiniteNumber()
  cpu!: number | null;
  /** Its CPU limit in cores (cpu.max or cfs_quota_us ÷ cfs_period_us); null when unlimited. */
  @Nullable()
  @IsFiniteNumber()
  cpuLimit!: number | null;
  /** Memory in use in bytes, without inactive file pages (as `docker stats` shows it). */
  @Nullable()
  @IsFiniteNumber()
  memory!: number | null;
  /** Its memory limit in bytes; null when unlimited. */
  @Nullable()
  @IsFiniteNumber()
  memoryLimit!: number | null;
  /** `memory` as % of `memoryLimit`; null when unlimited. */
  @Nullable()
  @IsFiniteNumber()
  memoryUsage!: number | null;
  /** Bytes received per second in its network namespace; null when not readable or shared (see networkFrom). */
  @Nullable()
  @IsFiniteNumber()
  rxBytesPerSec!: number | null;
  /** Bytes sent per second in its network namespace; null when not readable or shared. */
  @Nullable()
  @IsFiniteNumber()
  txBytesPerSec!: number | null;
  /**
   * When its network namespace is another container's (a Kubernetes pod, `--network
   * container:`), that container's id: the traffic is reported once, there. Else null.
   */
  @Nullable()
  @Matches(/^[0-9a-f]{12}$/)
  networkFrom!: string | null;
  /** Bytes read from block devices per second; null when not readable. */
  @Nullable()
  @IsFiniteNumber()
  readBytesPerSec!: number | null;
  /** Bytes written to block devices per second; null when not readable. */
  @Nullable()
  @IsFiniteNumber()
  writeBytesPerSec!: number | null;
  /** Processes and threads in it (pids.current); null when not readable. */
  @Nullable()
  @IsInt()
  @Min(0)
  pids!: number | null;
}
