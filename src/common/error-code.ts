import { HttpStatus } from '@nestjs/common';

/**
 * Every `code` the service answers with: the stable identifiers clients branch on. A new code
 * needs its status in ERROR_STATUS below, or the build fails.
 */
export const ErrorCode = {
  /** A query parameter (or Last-Event-ID) is invalid. */
  INVALID_QUERY: 'INVALID_QUERY',
  /** A path parameter is invalid. */
  INVALID_PARAM: 'INVALID_PARAM',
  /** The request body is invalid. */
  INVALID_BODY: 'INVALID_BODY',
  /** The request target is not a path. */
  INVALID_URL: 'INVALID_URL',
  /** The path has `.`/`..` segments or encoded separators. */
  INVALID_PATH: 'INVALID_PATH',
  /** Any other malformed request (e.g. one Node's HTTP parser rejects). */
  BAD_REQUEST: 'BAD_REQUEST',
  /** VITALS_TOKEN is set and the request carries no valid credential. */
  UNAUTHORIZED: 'UNAUTHORIZED',
  /** On loopback, the Host header names another host (DNS rebinding). */
  HOST_NOT_ALLOWED: 'HOST_NOT_ALLOWED',
  /** No such route. */
  NOT_FOUND: 'NOT_FOUND',
  /** No sample of the hosts `host=` names. */
  UNKNOWN_HOST: 'UNKNOWN_HOST',
  /** Over VITALS_RATE_LIMIT requests a minute from one address. */
  RATE_LIMITED: 'RATE_LIMITED',
  /** Over VITALS_MAX_STREAMS_PER_IP open streams from one address. */
  TOO_MANY_STREAMS: 'TOO_MANY_STREAMS',
  /** Request headers (or URL) past Node's bound. */
  HEADERS_TOO_LARGE: 'HEADERS_TOO_LARGE',
  /** An unexpected failure, logged; never explained to the client. */
  INTERNAL_ERROR: 'INTERNAL_ERROR',
  /** Readiness failed: no fresh sample, or Redis unreachable on a gateway. */
  NOT_READY: 'NOT_READY',
  /** No sample has been taken yet. */
  NO_SAMPLE: 'NO_SAMPLE',
  /** VITALS_MAX_SUBSCRIBERS streams are open. */
  TOO_MANY_SUBSCRIBERS: 'TOO_MANY_SUBSCRIBERS',
  /** The rollup store cannot be read now (disk, PostgreSQL restarting); try again. */
  HISTORY_UNAVAILABLE: 'HISTORY_UNAVAILABLE',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** 431, which Nest's HttpStatus does not list. */
export const REQUEST_HEADER_FIELDS_TOO_LARGE = 431;

/** The HTTP status each code is answered with: exhaustive, so no code lacks one. */
export const ERROR_STATUS: Record<ErrorCode, number> = {
  INVALID_QUERY: HttpStatus.BAD_REQUEST,
  INVALID_PARAM: HttpStatus.BAD_REQUEST,
  INVALID_BODY: HttpStatus.BAD_REQUEST,
  INVALID_URL: HttpStatus.BAD_REQUEST,
  INVALID_PATH: HttpStatus.BAD_REQUEST,
  BAD_REQUEST: HttpStatus.BAD_REQUEST,
  UNAUTHORIZED: HttpStatus.UNAUTHORIZED,
  HOST_NOT_ALLOWED: HttpStatus.FORBIDDEN,
  NOT_FOUND: HttpStatus.NOT_FOUND,
  UNKNOWN_HOST: HttpStatus.NOT_FOUND,
  RATE_LIMITED: HttpStatus.TOO_MANY_REQUESTS,
  TOO_MANY_STREAMS: HttpStatus.TOO_MANY_REQUESTS,
  HEADERS_TOO_LARGE: REQUEST_HEADER_FIELDS_TOO_LARGE,
  INTERNAL_ERROR: HttpStatus.INTERNAL_SERVER_ERROR,
  NOT_READY: HttpStatus.SERVICE_UNAVAILABLE,
  NO_SAMPLE: HttpStatus.SERVICE_UNAVAILABLE,
  TOO_MANY_SUBSCRIBERS: HttpStatus.SERVICE_UNAVAILABLE,
  HISTORY_UNAVAILABLE: HttpStatus.SERVICE_UNAVAILABLE,
};

const CODES = new Set<unknown>(Object.values(ErrorCode));

export const isErrorCode = (value: unknown): value is ErrorCode => CODES.has(value);
