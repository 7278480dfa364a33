import { jest } from '@jest/globals';
import {
  type ArgumentsHost,
  BadRequestException,
  Logger,
  NotFoundException,
  ServiceUnavailableException,
} from '@nestjs/common';
import { AllExceptionsFilter } from './all-exceptions.filter.js';
import { DomainError } from './domain-error.js';
import { ErrorCode } from './error-code.js';

function responseDouble(headersSent = false) {
  const response = {
    headersSent,
    writableEnded: false,
    status: jest.fn(() => response),
    json: jest.fn(() => response),
    end: jest.fn(),
  };
  const host = {
    switchToHttp: () => ({ getResponse: () => response, getRequest: () => ({}) }),
  } as unknown as ArgumentsHost;
  return { response, host };
}

describe('AllExceptionsFilter', () => {
  const filter = new AllExceptionsFilter();
  let logged: jest.SpiedFunction<Logger['error']>;

  beforeEach(() => {
    logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });

  it('should keep the code when the exception carries one', () => {
    const { response, host } = responseDouble();

    filter.catch(
      new BadRequestException({
        message: ['groups: bad', 'every: bad'],
        code: ErrorCode.INVALID_QUERY,
      }),
      host,
    );

    expect(response.status).toHaveBeenCalledWith(400);
    expect(response.json).toHaveBeenCalledWith({
      statusCode: 400,
      error: 'Bad Request',
      message: 'groups: bad; every: bad',
      code: 'INVALID_QUERY',
    });
  });

  it('should derive the code from the status when the exception has none', () => {
    const { response, host } = responseDouble();

    filter.catch(new NotFoundException('Cannot GET /nope'), host);

    expect(response.json).toHaveBeenCalledWith({
      statusCode: 404,
      error: 'Not Found',
      message: 'Cannot GET /nope',
      code: 'NOT_FOUND',
    });
    expect(logged).not.toHaveBeenCalled();
  });

  it('should pass details through when the exception carries them', () => {
    const { response, host } = responseDouble();

    filter.catch(
      new ServiceUnavailableException({
        message: 'Not ready',
        code: ErrorCode.NOT_READY,
        details: { a: 1 },
      }),
      host,
    );

    expect(response.json).toHaveBeenCalledWith(
      expect.objectContaining({ statusCode: 503, code: 'NOT_READY', details: { a: 1 } }),
    );
  });

  it.each([
    [ErrorCode.INVALID_QUERY, 400, 'Bad Request'],
    [ErrorCode.UNKNOWN_HOST, 404, 'Not Found'],
    [ErrorCode.TOO_MANY_STREAMS, 429, 'Too Many Requests'],
    [ErrorCode.TOO_MANY_SUBSCRIBERS, 503, 'Service Unavailable'],
  ] as const)('should answer %s with %i when a domain error carries it', (code, status, error) => {
    const { response, host } = responseDouble();

    filter.catch(new DomainError(code, 'what went wrong'), host);

    expect(response.status).toHaveBeenCalledWith(status);
    expect(response.json).toHaveBeenCalledWith({
      statusCode: status,
      error,
      message: 'what went wrong',
      code,
    });
    expect(logged).not.toHaveBeenCalled();
  });

  it('should pass details through when a domain error carries them', () => {
    const { response, host } = responseDouble();

    filter.catch(new DomainError(ErrorCode.NOT_READY, 'Not ready', { a: 1 }), host);

    expect(response.json).toHaveBeenCalledWith({
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'Not ready',
      code: ErrorCode.NOT_READY,
      details: { a: 1 },
    });
  });

  it('should answer the generic code of the status when an exception names an unknown code', () => {
    const { response, host } = responseDouble();

    filter.catch(new BadRequestException({ message: 'bad', code: 'SOMETHING_ELSE' }), host);

    expect(response.json).toHaveBeenCalledWith(
      expect.objectContaining({ statusCode: 400, code: ErrorCode.BAD_REQUEST }),
    );
  });

  it('should keep the status of an exposable client error when Express raises it', () => {
    const { response, host } = responseDouble();
    const error = Object.assign(new URIError('Failed to decode param'), { status: 400 });

    filter.catch(error, host);

    expect(response.json).toHaveBeenCalledWith({
      statusCode: 400,
      error: 'Bad Request',
      message: 'Failed to decode param',
      code: 'BAD_REQUEST',
    });
  });

  it('should answer an opaque 500 and log the stack when the error is unknown', () => {
    const { response, host } = responseDouble();

    filter.catch(new TypeError('secret internals'), host);

    expect(response.json).toHaveBeenCalledWith({
      statusCode: 500,
      error: 'Internal Server Error',
      message: 'Internal server error',
      code: 'INTERNAL_ERROR',
    });
    expect(logged).toHaveBeenCalledWith(expect.stringContaining('TypeError: secret internals'));
  });

  it('should end the response without a body when the stream headers are already sent', () => {
    const { response, host } = responseDouble(true);

    filter.catch(new Error('late'), host);

    expect(response.status).not.toHaveBeenCalled();
    expect(response.end).toHaveBeenCalled();
  });
});
