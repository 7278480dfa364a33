import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AbstractLoader, ExpressLoader } from '@nestjs/serve-static';
import { Test } from '@nestjs/testing';
import { AppModule } from '../../src/app.module.js';
import { APP_OPTIONS, configureApp } from '../../src/app.setup.js';
import { loadEnvironment } from '../../src/config/validate-environment.js';
import { HOST_READER } from '../../src/host/host-reader.js';
import { FakeHostReader } from './fake-host.reader.js';
import { SseConnection } from './sse-connection.js';

export interface TestApp {
  app: NestExpressApplication;
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  host: FakeHostReader;
  /** Opens an event stream on `path`, closed by closeStreams(). */
  connect(path: string, headers?: Record<string, string>): Promise<SseConnection>;
  /** Closes every stream opened with connect(). */
  closeStreams(): void;
}

/**
 * Boots the whole application on 127.0.0.1 port 0 with `env` as its VITALS_* settings and the
 * host reader replaced by a fake. Close it with `app.close()`.
 */
export async function startTestApp(
  env: Record<string, string> = {},
  host = new FakeHostReader(),
): Promise<TestApp> {
  const saved = { ...process.env };
  // Rollups go to a fresh temporary directory, never ./data in the repository; it goes with
  // the app unless the test named its own.
  const dataDir = env.VITALS_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'vitals-test-data-'));
  Object.assign(
    process.env,
    { VITALS_HOST_NAME: 'test-host', VITALS_INTERVAL_MS: '250', VITALS_DATA_DIR: dataDir },
    env,
  );
  try {
    const moduleRef = await Test.createTestingModule({
      imports: [AppModule.forRoot(loadEnvironment())],
    })
      .overrideProvider(HOST_READER)
      .useValue(host)
      // ServeStaticModule picks its loader when the module compiles, which in a testing module
      // is before the HTTP adapter exists; name the one NestFactory.create would pick.
      .overrideProvider(AbstractLoader)
      .useValue(new ExpressLoader())
      .compile();
    const app = moduleRef.createNestApplication<NestExpressApplication>({
      ...APP_OPTIONS,
      logger: ['error'],
    });
    configureApp(app);
    if (env.VITALS_DATA_DIR === undefined) {
      const close = app.close.bind(app);
      app.close = async () => {
        await close();
        rmSync(dataDir, { recursive: true, force: true });
      };
    }
    await app.listen(0, '127.0.0.1');
    const url = await app.getUrl();
    const streams: SseConnection[] = [];
    return {
      app,
      url,
      host,
      connect: async (path, headers) => {
        const connection = await SseConnection.open(`${url}${path}`, headers);
        streams.push(connection);
        return connection;
      },
      closeStreams: () => streams.splice(0).forEach((connection) => connection.close()),
    };
  } finally {
    process.env = saved;
  }
}
