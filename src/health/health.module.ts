import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HubModule } from '../hub/hub.module.js';
import { HealthController } from './health.controller.js';

/** The probes: read what every room reports about its readiness, nothing else. */
@Module({
  imports: [TerminusModule.forRoot({ logger: false }), HubModule],
  controllers: [HealthController],
})
export class HealthModule {}
