import { STATUS_CODES, type ServerResponse } from 'node:http';
import { HttpException, HttpStatus } from '@nestjs/common';
import type { ErrorResponseDto } from './dto/error-response.dto.js';

/** An error body, plus details some errors carry (e.g. the readiness checks). */
export type ErrorBody = ErrorResponseDto & { details?: unknown };

const CODE_OVERRIDES: Partial<Record<number, string>> = {
  [HttpStatus.TOO_MANY_REQUESTS]: 'RATE_LIMITED',
  [HttpStatus.INTERNAL_SERVER_ERROR]: 'INTERNAL_ERROR',
};

/** The stable code of a status when the thrower gave none: 404 → NOT_FOUND. */
export function codeForStatus(status: number): string {
  return (
    CODE_OVERRIDES[status] ??
    (STATUS_CODES[status] ?? 'ERROR').toUpperCase().replace(/[^A-Z0-9]+/g, '_')
  );
}

function body(status: number, message: string, code?: string, details?: unknown): ErrorBody {
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
 * The contract's error shape for anything thrown: HttpExceptions keep their status, message
 * and `code`; errors from Node/Express that mark themselves safe to expose (a 4xx `status`, as
 * body parsers and URI decoding do) keep theirs; everything else is an opaque 500.
 */
export function toErrorBody(exception: unknown): ErrorBody | undefined {
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
      typeof fields.code === 'string' ? fields.code : undefined,
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
  return body(HttpStatus.INTERNAL_SERVER_ERROR, 'Internal server error');
}

/** Answers with `error` in the contract's shape from plain middleware, outside Nest's filter. */
export function writeError(res: ServerResponse, error: HttpException): void {
  res.writeHead(error.getStatus(), {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
  });
  res.end(JSON.stringify(toErrorBody(error)));
}
