/** CPU time shares over the last tick, in percent of all cores (0–100). */
export class CpuStatsDto {
  /** Busy share: everything but idle and iowait. */
  usage!: number;
  /** User space, including nice. */
  user!: number;
  /** Kernel, including hard and soft interrupts. */
  system!: number;
  /** Idle while waiting for I/O; null where the platform does not report it. */
  iowait!: number | null;
  /** Stolen by the hypervisor; null where the platform does not report it. */
  steal!: number | null;
  /** Idle share. */
  idle!: number;
  /** Busy share of each logical core, in core order. */
  cores!: number[];
  /** Load averages over 1, 5 and 15 minutes; null where the platform has none (Windows). */
  load!: number[] | null;
  /** Number of logical cores. */
  count!: number;
}
