/** Thrown at startup when one or more `VITALS_*` variables are invalid; one problem per line. */
export class InvalidEnvironmentError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.join('\n')}`);
    this.name = 'InvalidEnvironmentError';
  }
}
