import type { IncomingMessage, ServerResponse } from 'node:http';
import { BadRequestException } from '@nestjs/common';
import { writeError } from '../common/error-body.js';
import { ErrorCode } from '../common/error-code.js';

// A `.` or `..` segment, also percent-encoded (URL parsers resolve `%2e%2e` like `..`).
const DOT_SEGMENT = /(?:^|\/)(?:\.|%2e){1,2}(?:\/|$)/i;
// Separators a parser or proxy may see differently: encoded slashes and backslashes, NUL.
const HIDDEN_SEPARATOR = /%2f|%5c|\\|%00/i;

/**
 * The first middleware: every later decision (the rate limiter's exemptions, the token check's
 * public paths, the routes) reads one and the same path. A request target that is not a path, or
 * whose path climbs (`..`) or hides separators (`%2f`, `%5c`), is a 400 here: resolving it would
 * let `/health/../api/v1/metrics` pass the limiter as a probe and reach the API as a route.
 */
export class RequestTargetMiddleware {
  readonly handle = (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    const raw = req.url ?? '/';
    const queryAt = raw.indexOf('?');
    const path = queryAt === -1 ? raw : raw.slice(0, queryAt);
    // Prefixed rather than resolved against a base: `//x` would otherwise read as a host name.
    if (!raw.startsWith('/') || !URL.canParse(`http://vitals${raw}`)) {
      writeError(
        res,
        new BadRequestException({
          message: 'Malformed request target',
          code: ErrorCode.INVALID_URL,
        }),
      );
      return;
    }
    if (DOT_SEGMENT.test(path) || HIDDEN_SEPARATOR.test(path)) {
      writeError(
        res,
        new BadRequestException({
          message: 'The path must not contain `.` or `..` segments or encoded separators',
          code: ErrorCode.INVALID_PATH,
        }),
      );
      return;
    }
    next();
  };
}
