import {
  type ArgumentMetadata,
  BadRequestException,
  ValidationPipe,
  type ValidationError,
} from '@nestjs/common';

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
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: (errors) => new BadRequestException(describe(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    try {
      return (await super.transform(value, metadata)) as unknown;
    } catch (error) {
      if (error instanceof BadRequestException && metadata.type !== 'custom') {
        const response = error.getResponse() as { message?: unknown };
        throw new BadRequestException({
          message: response.message ?? error.message,
          code: `INVALID_${metadata.type.toUpperCase()}`,
        });
      }
      throw error;
    }
  }
}
