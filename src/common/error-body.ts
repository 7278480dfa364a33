import { STATUS_CODES, type ServerResponse } from 'node:http';
import { HttpException, HttpStatus } from '@nestjs/common';
import { DomainError } from './domain-error.js';
import type { ErrorResponseDto } from './dto/error-response.dto.js';
import {
  ERROR_STATUS,
  ErrorCode,
  isErrorCode,
  REQUEST_HEADER_FIELDS_TOO_LARGE,
} from './error-code.js';

/** An error body, plus details some errors carry (e.g. the readiness checks). */
export type ErrorBody = ErrorResponseDto & { details?: unknown };

// The code of an error that names none, by its status.
const GENERIC_CODES: Partial<Record<number, ErrorCode>> = {
  [HttpStatus.BAD_REQUEST]: ErrorCode.BAD_REQUEST,
  [HttpStatus.UNAUTHORIZED]: ErrorCode.UNAUTHORIZED,
  [HttpStatus.NOT_FOUND]: ErrorCode.NOT_FOUND,
  [HttpStatus.TOO_MANY_REQUESTS]: ErrorCode.RATE_LIMITED,
  [REQUEST_HEADER_FIELDS_TOO_LARGE]: ErrorCode.HEADERS_TOO_LARGE,
  [HttpStatus.INTERNAL_SERVER_ERROR]: ErrorCode.INTERNAL_ERROR,
};

/**
 * The stable code of a status when the thrower gave none: 404 → NOT_FOUND; any other client
 * error → BAD_REQUEST, any other server error → INTERNAL_ERROR.
 */
export function codeForStatus(status: number): ErrorCode {
  return GENERIC_CODES[status] ?? (status < 500 ? ErrorCode.BAD_REQUEST : ErrorCode.INTERNAL_ERROR);
}

function body(status: number, message: string, code?: ErrorCode, details?: unknown): ErrorBody {
  return {
    statusCode: status,
    error: STATUS_CODES[status] ?? 'Error',
    message,
    code: code ?? codeForStatus(status),
    ...(details === undefined ? {} : { details }),
  };
}

const asText = (message: unknown): string | undefined =>
  typeof message === 'string'
    ? message
    : Array.isArray(message)
      ? message.map(String).join('; ')
      : undefined;

/**
 * The contract's error shape for anything thrown: a DomainError is answered with its code's
 * status (ERROR_STATUS); HttpExceptions keep their status, message and `code` (one of
 * ErrorCode); errors from Node/Express that mark themselves safe to expose (a 4xx `status`, as
 * body parsers and URI decoding do) keep theirs; everything else is an opaque 500.
 */
export function toErrorBody(exception: unknown): ErrorBody | undefined {
  if (exception instanceof DomainError) {
    const { code, message, details } = exception;
    return body(ERROR_STATUS[code], message, code, details);
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    if (typeof response === 'string') {
      return body(status, response);
    }
    const fields = response as Record<string, unknown>;
    return body(
      status,
      asText(fields.message) ?? exception.message,
      isErrorCode(fields.code) ? fields.code : undefined,
      fields.details,
    );
  }
  if (exception instanceof Error) {
    const { status, expose } = exception as Error & { status?: unknown; expose?: unknown };
    if (typeof status === 'number' && status >= 400 && status < 500 && expose !== false) {
      return body(status, exception.message);
    }
  }
  return undefined;
}

/** The body sent for failures that must not be explained to the client. */
export function internalErrorBody(): ErrorBody {
  return body(HttpStatus.INTERNAL_SERVER_ERROR, 'Internal server error', ErrorCode.INTERNAL_ERROR);
}

/** Answers with `error` in the contract's shape from plain middleware, outside Nest's filter. */
export function writeError(res: ServerResponse, error: HttpException): void {
  res.writeHead(error.getStatus(), {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
  });
  res.end(JSON.stringify(toErrorBody(error)));
}
