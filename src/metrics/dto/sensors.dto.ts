/** Temperatures; null where the host exposes no sensor (most VMs and containers). */
export class SensorsDto {
  /** CPU package temperature in °C. */
  cpuTempC!: number | null;
}
