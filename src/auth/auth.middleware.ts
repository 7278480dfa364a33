import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseCookie } from 'cookie';
import { UnauthorizedException } from '@nestjs/common';
import { writeError } from '../common/error-body.js';
import type { TokenVerifier } from './token-verifier.js';
import { ErrorCode } from '../common/error-code.js';

export const SESSION_COOKIE = 'vitals_session';
export const TOKEN_PARAMETER = 'access_token';

/** Whether a path may be served without credentials: the probes and the dashboard's files. */
export type IsPublicPath = (path: string) => boolean;

/**
 * The one place credentials are checked, in front of everything the app serves (API routes,
 * /metrics, the docs), so no route can forget it. A request passes with any one of: the token
 * as `Authorization: Bearer`, the token as `access_token=` (EventSource cannot send headers;
 * the parameter is then removed from the URL, so it reaches neither validation nor any log), or
 * the session cookie. Otherwise: 401 UNAUTHORIZED, without saying which part was wrong.
 */
export class AuthMiddleware {
  /** `verifier` undefined: auth is off; access_token is still taken out of URLs. */
  constructor(
    private readonly verifier: TokenVerifier | undefined,
    private readonly isPublic: IsPublicPath,
  ) {}

  readonly handle = (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    // RequestTargetMiddleware, first in the chain, has refused every target that is not a path.
    const url = new URL(`http://vitals${req.url ?? '/'}`);
    const tokens = url.searchParams.getAll(TOKEN_PARAMETER);
    if (tokens.length > 0) {
      url.searchParams.delete(TOKEN_PARAMETER);
      req.url = `${url.pathname}${url.search}`;
    }
    if (
      !this.verifier ||
      this.isPublic(url.pathname) ||
      this.authorized(this.verifier, req, tokens)
    ) {
      next();
      return;
    }
    res.setHeader('WWW-Authenticate', 'Bearer realm="vitals"');
    writeError(
      res,
      new UnauthorizedException({
        message: 'Missing or invalid credentials: send the token as Authorization: Bearer',
        code: ErrorCode.UNAUTHORIZED,
      }),
    );
  };

  private authorized(verifier: TokenVerifier, req: IncomingMessage, tokens: string[]): boolean {
    // Any one valid credential will do: a browser may still hold the cookie of an old token
    // while it signs in again with the new one.
    const bearer = /^Bearer +(\S+) *$/i.exec(req.headers.authorization ?? '')?.[1];
    const cookie = req.headers.cookie ? parseCookie(req.headers.cookie)[SESSION_COOKIE] : undefined;
    return (
      verifier.matchesToken(bearer) ||
      tokens.some((token) => verifier.matchesToken(token)) ||
      verifier.matchesSession(cookie)
    );
  }
}
