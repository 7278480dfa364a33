import { Module } from '@nestjs/common';
import { HubModule } from '../hub/hub.module.js';
import { HostsController } from './hosts.controller.js';
import { HostsSweepService } from './hosts-sweep.service.js';

@Module({
  imports: [HubModule],
  controllers: [HostsController],
  providers: [HostsSweepService],
})
export class HostsModule {}
