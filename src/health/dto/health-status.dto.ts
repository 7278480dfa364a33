/** A passing health check (the @nestjs/terminus result). */
export class HealthStatusDto {
  /** "ok" when every check passed. */
  status!: string;
  /** The checks that passed, by name, with their details. */
  info!: Record<string, unknown>;
  /** The checks that failed, by name (empty on success). */
  error!: Record<string, unknown>;
  /** Every check, by name: `sampler` reports the latest sample's age and the sampler's counters. */
  details!: Record<string, unknown>;
}
