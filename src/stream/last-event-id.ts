import { BadRequestException } from '@nestjs/common';

/** The `Last-Event-ID` header as an event id: undefined when absent, a 400 when malformed. */
export function parseLastEventId(header: string | undefined): number | undefined {
  const value = header?.trim();
  if (!value) {
    return undefined;
  }
  if (/^\d{1,15}$/.test(value)) {
    return Number(value);
  }
  throw new BadRequestException({
    message: 'Last-Event-ID must be an event id (a non-negative integer)',
    code: 'INVALID_QUERY',
  });
}
