import { Injectable, OnModuleInit } from '@nestjs/common';
import { Telemetry } from '../hub/telemetry.js';
import { RedisPublisherService } from './redis-publisher.service.js';

/** An agent's link to Redis in readiness: reported, never unready (it buffers). */
@Injectable()
export class AgentTelemetry implements OnModuleInit {
  constructor(
    private readonly publisher: RedisPublisherService,
    private readonly telemetry: Telemetry,
  ) {}

  onModuleInit(): void {
    this.telemetry.reportReadiness('transport', () => this.publisher.health());
  }
}
