import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { ERROR_STATUS, ErrorCode } from './error-code.js';

/**
 * Answers requests Node's HTTP parser rejects before any route sees them (a malformed request
 * line, headers past Node's 16 KiB bound) with the contract's JSON error instead of Node's
 * empty 400/431, then closes the connection.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const code = tooLarge ? ErrorCode.HEADERS_TOO_LARGE : ErrorCode.BAD_REQUEST;
  const status = ERROR_STATUS[code];
  const body = JSON.stringify({
    statusCode: status,
    error: STATUS_CODES[status],
    message: tooLarge ? 'Request headers (or URL) too large' : 'Malformed HTTP request',
    code,
  });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}
