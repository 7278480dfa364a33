import { STATUS_CODES } from 'node:http';
import { ERROR_STATUS, ErrorCode, isErrorCode } from './error-code.js';
import { codeForStatus } from './error-body.js';

describe('ErrorCode', () => {
  it('should spell every code as its own UPPER_SNAKE key when listed', () => {
    Object.entries(ErrorCode).forEach(([key, code]) => {
      expect(code).toBe(key);
      expect(code).toMatch(/^[A-Z]+(_[A-Z]+)*$/);
    });
  });

  it('should map every code to an HTTP error status when answered', () => {
    Object.values(ErrorCode).forEach((code) => {
      const status = ERROR_STATUS[code];

      expect(status).toBeGreaterThanOrEqual(400);
      expect(STATUS_CODES[status]).toBeDefined();
    });
  });

  it('should recognise only the listed codes when checking a value', () => {
    expect(isErrorCode('NOT_FOUND')).toBe(true);
    expect(isErrorCode('METHOD_NOT_ALLOWED')).toBe(false);
    expect(isErrorCode(undefined)).toBe(false);
  });

  it.each([
    [400, ErrorCode.BAD_REQUEST],
    [401, ErrorCode.UNAUTHORIZED],
    [404, ErrorCode.NOT_FOUND],
    [429, ErrorCode.RATE_LIMITED],
    [431, ErrorCode.HEADERS_TOO_LARGE],
    [500, ErrorCode.INTERNAL_ERROR],
  ])('should give status %i its own code %s when the thrower named none', (status, code) => {
    expect(codeForStatus(status)).toBe(code);
    expect(ERROR_STATUS[code]).toBe(status);
  });

  it.each([
    [413, ErrorCode.BAD_REQUEST],
    [502, ErrorCode.INTERNAL_ERROR],
  ])('should give status %i the generic %s when no code has that status', (status, code) => {
    expect(codeForStatus(status)).toBe(code);
  });
});
