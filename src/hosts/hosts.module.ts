import { Module } from '@nestjs/common';
import { HubModule } from '../hub/hub.module.js';
import { HostsController } from './hosts.controller.js';

@Module({
  imports: [HubModule],
  controllers: [HostsController],
})
export class HostsModule {}
