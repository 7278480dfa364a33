// The @Sse control: vitals itself, booted as dist/main.js boots it, plus one route written the
// idiomatic Nest way. GET /bench/sse returns an Observable of the hub's sample events, each
// mapped to a MessageEvent whose data is the frame the hub serializes once per tick (the
// all-groups projection, as /api/v1/stream sends it), so what differs from /api/v1/stream is
// only Nest's own per-message, per-client pipeline: an RxJS subscription per client, a
// MessageEvent and an SseStream transform per message, formatting and writing per client.
import { existsSync } from 'node:fs';
import { ConsoleLogger, Controller, Inject, Module, Sse } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { filter, map } from 'rxjs';

const dist = (path) => new URL(`../../dist/${path}`, import.meta.url).href;
const { LOG_LEVELS } = await import(dist('config/environment-variables.js'));
const { validateEnvironment } = await import(dist('config/validate-environment.js'));

// As main.ts: a .env file fills in what the environment does not set, the environment is
// validated, and only then is the module graph (which reads it when imported) imported.
if (existsSync('.env')) {
  process.loadEnvFile('.env');
}
const env = validateEnvironment(process.env);
const logger = new ConsoleLogger('vitals', {
  json: env.VITALS_LOG_FORMAT === 'json',
  colors: !process.env.NO_COLOR && Boolean(process.stdout.isTTY),
  logLevels: LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(env.VITALS_LOG_LEVEL ?? 'log') + 1),
});

const { AppModule } = await import(dist('app.module.js'));
const { APP_OPTIONS, configureApp } = await import(dist('app.setup.js'));
const { HubModule } = await import(dist('hub/hub.module.js'));
const { SampleHubService } = await import(dist('hub/sample-hub.service.js'));
const { GroupSelection } = await import(dist('hub/group-selection.js'));

class BenchSseController {
  constructor(hub) {
    this.hub = hub;
  }

  stream() {
    return this.hub.events.pipe(
      filter((event) => event.kind === 'sample'),
      map((event) => ({
        id: event.eventId,
        type: 'sample',
        data: event.frame(GroupSelection.ALL).data,
      })),
    );
  }
}
Controller('bench')(BenchSseController);
Sse('sse')(
  BenchSseController.prototype,
  'stream',
  Object.getOwnPropertyDescriptor(BenchSseController.prototype, 'stream'),
);
Inject(SampleHubService)(BenchSseController, undefined, 0);

// AppModule exports nothing: the controller reaches the hub through HubModule, a static module
// Nest instantiates once however many modules import it, so this is the application's own hub.
class BenchModule {}
Module({ imports: [AppModule.forRoot(env), HubModule], controllers: [BenchSseController] })(
  BenchModule,
);

const app = await NestFactory.create(BenchModule, { ...APP_OPTIONS, logger });
configureApp(app);
app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
await app.listen(env.VITALS_PORT, env.VITALS_HOST);
logger.log(`Listening on ${await app.getUrl()} (the @Sse control at /bench/sse)`, 'Bootstrap');
