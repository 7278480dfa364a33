import type { ErrorCode } from '../error-code.js';

/** The body of every non-2xx response. */
export class ErrorResponseDto {
  /** The HTTP status code, repeated. */
  statusCode!: number;
  /** The HTTP status text, e.g. "Bad Request". */
  error!: string;
  /** What went wrong, for people. */
  message!: string;
  /** Stable UPPER_SNAKE identifier to branch on, e.g. INVALID_QUERY, NOT_FOUND, NOT_READY. */
  code!: ErrorCode;
}
