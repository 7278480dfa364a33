import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { internalErrorBody, toErrorBody } from './error-body.js';

/** Gives every error response the contract's `{statusCode, error, message, code}` shape. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ExceptionsHandler');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const known = toErrorBody(exception);
    if (!known) {
      this.logger.error(
        exception instanceof Error ? (exception.stack ?? exception.message) : exception,
      );
    }
    // A stream whose headers are out cannot change its status; end it rather than write JSON
    // into an event stream.
    if (response.headersSent) {
      if (!response.writableEnded) {
        response.end();
      }
      return;
    }
    const body = known ?? internalErrorBody();
    response.status(body.statusCode).json(body);
  }
}
