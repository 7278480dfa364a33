import { readdirSync } from 'node:fs';
import { HttpException, HttpStatus } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import { toErrorBody } from '../common/error-body.js';
import { authConfig } from '../config/auth.config.js';
import { serverConfig } from '../config/server.config.js';
import { isLoopback } from '../config/validate-environment.js';
import { PUBLIC_DIR, UPLOT_ROUTE } from '../dashboard/dashboard-assets.js';
import { AuthMiddleware } from './auth.middleware.js';
import { HostCheckMiddleware } from './host-check.middleware.js';
import { RequestTargetMiddleware } from './request-target.middleware.js';
import { TokenVerifier } from './token-verifier.js';
import { ErrorCode } from '../common/error-code.js';

/**
 * Everything between a request and the routes, in order: the request target check, security
 * headers, CORS (before auth:
 * preflights carry no credentials), the DNS-rebinding Host check, the rate limit (before auth,
 * so guessing the token is limited too), then the token. Express middleware rather than Nest
 * guards, so it also covers what Nest does not route: /docs, /asyncapi.json, unknown paths.
 */
export function installSecurity(app: NestExpressApplication): void {
  const server = app.get<ConfigType<typeof serverConfig>>(serverConfig.KEY);
  // First: every decision below is made on the one path this lets through.
  app.use(new RequestTargetMiddleware().handle);
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          // Swagger UI's page has inline <style> blocks; the dashboard has none.
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          fontSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      // vitals often runs on plain HTTP on loopback, where HSTS is meaningless.
      strictTransportSecurity: false,
    }),
  );
  // Before auth: a preflight carries no credentials. Unset: no CORS headers, same-origin only.
  if (server.corsOrigins.length > 0) {
    app.enableCors({
      origin: server.corsOrigins,
      credentials: true,
      methods: ['GET', 'HEAD', 'POST', 'DELETE'],
      allowedHeaders: ['Authorization', 'Last-Event-ID', 'Content-Type'],
      maxAge: 600,
    });
  }
  if (isLoopback(server.host)) {
    app.use(new HostCheckMiddleware().handle);
  }
  // The probes and the dashboard's own files (which hold no data; the page asks for the token)
  // are neither rate limited nor behind the token.
  const publicPaths = {
    prefixes: ['/health/', `${UPLOT_ROUTE}/`, '/js/', '/css/', '/icons/'],
    exact: new Set(['/', ...readdirSync(PUBLIC_DIR).map((file) => `/${file}`)]),
  };
  const isPublic = (path: string): boolean =>
    publicPaths.exact.has(path) || publicPaths.prefixes.some((prefix) => path.startsWith(prefix));
  // Before auth, so guessing the token is rate limited too.
  if (server.rateLimit > 0) {
    const limited = toErrorBody(
      new HttpException(
        {
          message: `Too many requests: at most ${server.rateLimit} a minute from one address`,
          code: ErrorCode.RATE_LIMITED,
        },
        HttpStatus.TOO_MANY_REQUESTS,
      ),
    );
    app.use(
      rateLimit({
        windowMs: 60_000,
        limit: server.rateLimit,
        standardHeaders: 'draft-8',
        legacyHeaders: false,
        skip: (req) => isPublic(req.path),
        handler: (_req, res) => {
          res.status(429).json(limited);
        },
      }),
    );
  }
  const { token } = app.get<ConfigType<typeof authConfig>>(authConfig.KEY);
  // In front of everything else: API, /metrics, docs.
  app.use(
    new AuthMiddleware(token === undefined ? undefined : new TokenVerifier(token), isPublic).handle,
  );
}
