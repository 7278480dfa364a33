import { Module } from '@nestjs/common';
import { HubModule } from '../hub/hub.module.js';
import { SampleStreamService } from './sample-stream.service.js';
import { SeedCompatController } from './seed-compat.controller.js';
import { StreamAdmission } from './stream-admission.js';
import { StreamChannel } from './stream-channel.js';
import { StreamController } from './stream.controller.js';
import { StreamPrelude } from './stream-prelude.js';
import { StreamStart } from './stream-start.js';
import { StreamTelemetry } from './stream-telemetry.js';

/** The SSE routes: a consumer of the hub, and the room that counts the open streams. */
@Module({
  imports: [HubModule],
  controllers: [StreamController, SeedCompatController],
  providers: [
    StreamChannel,
    StreamAdmission,
    StreamStart,
    StreamPrelude,
    SampleStreamService,
    StreamTelemetry,
  ],
})
export class StreamModule {}
