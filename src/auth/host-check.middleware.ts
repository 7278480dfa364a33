import type { IncomingMessage, ServerResponse } from 'node:http';
import { ForbiddenException } from '@nestjs/common';
import { writeError } from '../common/error-body.js';
import { ErrorCode } from '../common/error-code.js';

// localhost, 127.x.y.z or [::1], with or without a port.
const LOOPBACK_HOST = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d{1,5})?$/i;

/**
 * While vitals listens on loopback only, a request must also name a loopback host: a web page
 * elsewhere that rebinds its own DNS name to 127.0.0.1 (DNS rebinding) sends its name in Host
 * and is refused, so it cannot read this machine's metrics through the visitor's browser. A
 * reverse proxy on the same machine passes as long as it sends the upstream's Host (nginx's
 * default for proxy_pass http://127.0.0.1:3000).
 */
export class HostCheckMiddleware {
  readonly handle = (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    if (LOOPBACK_HOST.test(req.headers.host ?? '')) {
      next();
      return;
    }
    writeError(
      res,
      new ForbiddenException({
        message: 'This vitals answers only to localhost: the Host header names another host',
        code: ErrorCode.HOST_NOT_ALLOWED,
      }),
    );
  };
}
