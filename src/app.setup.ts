import { readFileSync } from 'node:fs';
import type { NestApplicationOptions } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { installSecurity } from './auth/install-security.js';
import { TOKEN_SECURITY } from './common/api-protected.decorator.js';
import { answerClientError } from './common/client-error.handler.js';
import { serverConfig } from './config/server.config.js';
import { UPLOT_DIR, UPLOT_ROUTE } from './dashboard/dashboard-assets.js';
import { buildAsyncApiDocument } from './stream/asyncapi.document.js';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
  description: string;
};

export const APP_VERSION = pkg.version;

/** Options for NestFactory.create, shared with the e2e tests. */
export const APP_OPTIONS: NestApplicationOptions = {
  // Open event streams would otherwise hold app.close() until every client leaves.
  forceCloseConnections: true,
  // No route takes a request body yet; without a parser, a body never produces an error.
  bodyParser: false,
};

/** The OpenAPI document of every HTTP route. */
export function buildOpenApiDocument(app: NestExpressApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('vitals')
    .setDescription(
      `${pkg.description}\n\nEvery error is JSON \`{statusCode, error, message, code}\` with a ` +
        'stable `code`.',
    )
    .setVersion(pkg.version)
    .addTag('stream', 'Live samples over Server-Sent Events')
    .addTag('metrics', 'The latest sample as JSON')
    .addTag('alerts', 'Threshold alerts and the rules in force')
    .addTag('health', 'Liveness and readiness probes (never need the token)')
    .addTag('session', 'Browser sign-in with the token, for the dashboard')
    // Declared per controller: the probes need no token.
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'VITALS_TOKEN' }, TOKEN_SECURITY)
    .build();
  return SwaggerModule.createDocument(app, config);
}

/**
 * Everything the HTTP application needs beyond its modules, shared by main.ts and the e2e
 * tests so both run the same application.
 */
export function configureApp(app: NestExpressApplication): void {
  app.disable('x-powered-by');
  // Behind a trusted proxy, req.ip is the client's (rate limit, stream cap) and req.secure
  // follows X-Forwarded-Proto (the session cookie's Secure flag).
  app.set('trust proxy', app.get<ConfigType<typeof serverConfig>>(serverConfig.KEY).trustProxy);
  app.getHttpServer().on('clientError', answerClientError);
  installSecurity(app);
  // The dashboard's chart library, straight from node_modules: nothing comes from the internet.
  app.useStaticAssets(UPLOT_DIR, { prefix: UPLOT_ROUTE, index: false, fallthrough: true });
  // Every response is no-store; hashing each body for an ETag would be wasted work.
  app.set('etag', false);
  let openapi: OpenAPIObject | undefined;
  const document = (): OpenAPIObject => (openapi ??= buildOpenApiDocument(app));
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
  });
  let asyncapi: Record<string, unknown> | undefined;
  // A plain route: the document describes the streams, it is not an API operation itself.
  app
    .getHttpAdapter()
    .getInstance()
    .get('/asyncapi.json', (_request, response) => {
      response.json((asyncapi ??= buildAsyncApiDocument(document())));
    });
}
