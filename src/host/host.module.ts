import { Module } from '@nestjs/common';
import { SystemInfoClient } from './system-info.client.js';

/** The host readers: procfs and sysfs on Linux, systeminformation elsewhere. */
@Module({
  providers: [SystemInfoClient],
  exports: [SystemInfoClient],
})
export class HostModule {}
