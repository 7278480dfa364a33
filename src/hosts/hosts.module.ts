import { Module } from '@nestjs/common';
import { StreamModule } from '../stream/stream.module.js';
import { HostsController } from './hosts.controller.js';

@Module({
  imports: [StreamModule],
  controllers: [HostsController],
})
export class HostsModule {}
