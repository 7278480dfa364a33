import { writeFileSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import { buildOpenApiDocument } from './app.setup.js';
import { loadEnvironment } from './config/validate-environment.js';

// `npm run openapi:generate`: writes openapi.json, committed so API changes show in review.
const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(loadEnvironment()), {
  logger: ['error'],
});
writeFileSync('openapi.json', `${JSON.stringify(buildOpenApiDocument(app), null, 2)}\n`);
await app.close();
