import { Module } from '@nestjs/common';
import { SampleHubService } from './sample-hub.service.js';
import { SampleStreamService } from './sample-stream.service.js';
import { SeedCompatController } from './seed-compat.controller.js';
import { StreamController } from './stream.controller.js';

@Module({
  controllers: [StreamController, SeedCompatController],
  providers: [SampleHubService, SampleStreamService],
  exports: [SampleHubService, SampleStreamService],
})
export class StreamModule {}
