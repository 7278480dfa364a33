import { Module } from '@nestjs/common';
import { HubModule } from '../hub/hub.module.js';
import { SampleStreamService } from './sample-stream.service.js';
import { SeedCompatController } from './seed-compat.controller.js';
import { StreamController } from './stream.controller.js';
import { StreamTelemetry } from './stream-telemetry.js';

/** The SSE routes: a consumer of the hub, and the room that counts the open streams. */
@Module({
  imports: [HubModule],
  controllers: [StreamController, SeedCompatController],
  providers: [SampleStreamService, StreamTelemetry],
})
export class StreamModule {}
