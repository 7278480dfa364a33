/** The rules in force when VITALS_ALERTS_FILE is unset (the contract's defaults). */
export const DEFAULT_RULES: readonly Record<string, unknown>[] = [
  { name: 'high-cpu', metric: 'cpu.usage', warning: 85, critical: 95, for: '30s' },
  { name: 'high-memory', metric: 'memory.usage', warning: 85, critical: 95 },
  { name: 'swap', metric: 'memory.swapUsage', warning: 50, critical: 80 },
  { name: 'disk-full', metric: 'disks[].usage', warning: 85, critical: 95 },
];
