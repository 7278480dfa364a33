import type { ErrorCode } from './error-code.js';

/**
 * What code outside controllers and HTTP middleware throws when a request cannot be served: a
 * stable code, a message for people and optional details. It knows nothing of HTTP; the
 * exception filter answers it with the code's status from ERROR_STATUS.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
