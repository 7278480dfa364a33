import { IsBoolean, IsIn } from 'class-validator';
import { IsFiniteNumber, Nullable } from '../../common/dto/schema-decorators.js';

/** Whether vitals runs in a container, and the limits that apply to it. */
export class ContainerDto {
  /** True inside Docker, Podman, Kubernetes, LXC and the like. */
  @IsBoolean()
  inContainer!: boolean;
  /** The cgroup version in use; null where there are no cgroups (not Linux). */
  @Nullable()
  @IsIn(['v1', 'v2'])
  cgroup!: 'v1' | 'v2' | null;
  /** The memory limit in bytes (memory.max / memory.limit_in_bytes); null when unlimited. */
  @Nullable()
  @IsFiniteNumber()
  memoryLimit!: number | null;
  /** The CPU quota in cores (cpu.max / cfs_quota_us ÷ cfs_period_us); null when unlimited. */
  @Nullable()
  @IsFiniteNumber()
  cpuLimit!: number | null;
  /** True when the sample describes the host: not in a container, or the host's /proc is mounted (VITALS_PROCFS). */
  @IsBoolean()
  hostProc!: boolean;
}
