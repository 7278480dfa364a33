import { IsFiniteNumber, Nullable } from '../../common/dto/schema-decorators.js';

/** Temperatures; null where the host exposes no sensor (most VMs and containers). */
export class SensorsDto {
  /** CPU package temperature in °C. */
  @Nullable()
  @IsFiniteNumber()
  cpuTempC!: number | null;
}
