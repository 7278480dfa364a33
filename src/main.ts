import { existsSync } from 'node:fs';
import { ConsoleLogger, type LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadAlertRules } from './alerts/alert-rules.loader.js';
import { loadDeliveryConfig, referencedVariables } from './delivery/delivery.config.js';
import { InvalidAlertRulesError } from './common/invalid-alert-rules.error.js';
import { LOG_LEVELS, type EnvironmentVariables } from './config/environment-variables.js';
import { InvalidEnvironmentError } from './config/invalid-environment.error.js';
import { unknownVariables, validateEnvironment } from './config/validate-environment.js';
import { errorMessage } from './common/error-message.js';
import { parseRollupTiers } from './rollups/rollup-tiers.js';

// Past this, a shutdown that has not finished is reported and the process exits anyway.
const SHUTDOWN_DEADLINE_MS = 2000;

function createLogger(env?: EnvironmentVariables): ConsoleLogger {
  const level = env?.VITALS_LOG_LEVEL ?? 'log';
  return new ConsoleLogger('vitals', {
    json: env?.VITALS_LOG_FORMAT === 'json',
    // Colour codes only for a person at a terminal: never into files, journald or docker logs.
    colors: !process.env.NO_COLOR && Boolean(process.stdout.isTTY),
    logLevels: LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(level) + 1),
  });
}

function watchShutdown(logger: LoggerService): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.log(`${signal} received: closing streams and stopping`);
      setTimeout(() => {
        logger.error(`Shutdown did not finish within ${SHUTDOWN_DEADLINE_MS} ms; exiting`);
        process.exit(1);
      }, SHUTDOWN_DEADLINE_MS).unref();
    });
  }
}

async function bootstrap(): Promise<void> {
  // Like `node --env-file`: a .env file fills in what the environment does not set.
  if (existsSync('.env')) {
    process.loadEnvFile('.env');
  }
  let env: EnvironmentVariables;
  try {
    env = validateEnvironment(process.env);
  } catch (error) {
    if (!(error instanceof InvalidEnvironmentError)) {
      throw error;
    }
    const logger = createLogger();
    error.problems.forEach((problem) => logger.error(problem, 'Config'));
    process.exitCode = 1;
    return;
  }
  const logger = createLogger(env);
  const referenced = referencedVariables(env.VITALS_ALERTS_FILE);
  for (const name of unknownVariables(process.env).filter((name) => !referenced.has(name))) {
    logger.warn(`${name} is not a vitals setting and is ignored (see .env.example)`, 'Config');
  }
  // Checked here too, so that a bad rules file is a clear message and exit 1, not a stack.
  try {
    loadAlertRules(env.VITALS_ALERTS_FILE);
    loadDeliveryConfig(env.VITALS_ALERTS_FILE, process.env);
  } catch (error) {
    if (!(error instanceof InvalidAlertRulesError)) {
      throw error;
    }
    for (const problem of error.problems) {
      logger.error(`VITALS_ALERTS_FILE ${error.file}: ${problem}`, 'Config');
    }
    process.exitCode = 1;
    return;
  }
  // The format was checked with the environment; the tiers themselves (each once, a retention
  // of at least one bucket) here, with the same one-line message.
  try {
    parseRollupTiers(env.VITALS_ROLLUPS);
  } catch (error) {
    const value = JSON.stringify(env.VITALS_ROLLUPS);
    logger.error(`VITALS_ROLLUPS=${value} is invalid: ${errorMessage(error)}`, 'Config');
    process.exitCode = 1;
    return;
  }

  if (env.VITALS_AUTH === 'none') {
    logger.warn('VITALS_AUTH=none: every route is open to anyone who can reach it', 'Auth');
  } else if (env.VITALS_TOKEN) {
    logger.log('Every route but /health/* needs VITALS_TOKEN', 'Auth');
  }

  // Imported only now: the module graph reads the environment when it is imported.
  const { AppModule } = await import('./app.module.js');
  const { APP_OPTIONS, configureApp } = await import('./app.setup.js');
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(env), {
    ...APP_OPTIONS,
    logger,
  });
  configureApp(app);
  // process.exit(0) once closed: the default re-raises the signal, which exits with 143.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  watchShutdown(logger);
  try {
    await app.listen(env.VITALS_PORT, env.VITALS_HOST);
  } catch (error) {
    await app.close();
    throw error;
  }
  logger.log(`Listening on ${await app.getUrl()} (API docs at /docs)`, 'Bootstrap');
}

bootstrap().catch((error: unknown) => {
  createLogger().error(`Startup failed: ${errorMessage(error)}`, 'Bootstrap');
  process.exitCode = 1;
});
