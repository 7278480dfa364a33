/**
 * The message of what a database driver threw. A refused dual-stack connect is an
 * AggregateError with no message of its own: its errors' messages then. Duck-typed, since errors
 * from another realm (Jest's VM contexts) fail `instanceof Error`.
 */
export function driverErrorMessage(error: unknown): string {
  if (typeof error !== 'object' || error === null) {
    return String(error);
  }
  const { message, errors } = error as { message?: unknown; errors?: unknown };
  if ((message === '' || message === undefined) && Array.isArray(errors) && errors.length > 0) {
    return [...new Set(errors.map(driverErrorMessage))].join('; ');
  }
  return typeof message === 'string' ? message : 'unknown error';
}
