import {
  type ArgumentMetadata,
  BadRequestException,
  type Paramtype,
  ValidationPipe,
  type ValidationError,
} from '@nestjs/common';
import { ErrorCode } from './error-code.js';

// The code of a 400 by what was invalid; custom parameters keep Nest's own exception.
const INVALID: Record<Exclude<Paramtype, 'custom'>, ErrorCode> = {
  query: ErrorCode.INVALID_QUERY,
  param: ErrorCode.INVALID_PARAM,
  body: ErrorCode.INVALID_BODY,
};

// One readable line per bad parameter: "groups has unknown group(s) ["disk"]; allowed: …".
function describe(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((text) =>
      text.includes(error.property) ? text : `${path}: ${text}`,
    );
    return [...own, ...describe(error.children ?? [], path)];
  });
}

/**
 * The global ValidationPipe, whose 400s carry a stable code naming what was invalid:
 * INVALID_QUERY, INVALID_BODY or INVALID_PARAM.
 */
export class RequestValidationPipe extends ValidationPipe {
  // Query classes for which an empty query has been validated once and passed: most requests
  // (pollers, scrapers, EventSource) carry no query, and the outcome never changes.
  private readonly emptyQueryPasses = new Set<unknown>();

  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: (errors) => new BadRequestException(describe(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const { metatype } = metadata;
    const emptyQuery =
      metadata.type === 'query' &&
      typeof metatype === 'function' &&
      typeof value === 'object' &&
      value !== null &&
      Object.keys(value).length === 0;
    if (emptyQuery && this.emptyQueryPasses.has(metatype)) {
      return new (metatype as new () => unknown)();
    }
    try {
      const result = (await super.transform(value, metadata)) as unknown;
      if (emptyQuery) {
        this.emptyQueryPasses.add(metatype);
      }
      return result;
    } catch (error) {
      if (error instanceof BadRequestException && metadata.type !== 'custom') {
        const response = error.getResponse() as { message?: unknown };
        throw new BadRequestException({
          message: response.message ?? error.message,
          code: INVALID[metadata.type],
        });
      }
      throw error;
    }
  }
}
