/** Thrown at startup when the alert rules file cannot be used; one problem per line. */
export class InvalidAlertRulesError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`Invalid alert rules in ${file}:\n${problems.join('\n')}`);
    this.name = 'InvalidAlertRulesError';
  }
}
