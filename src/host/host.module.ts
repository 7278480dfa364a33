import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { samplerConfig } from '../config/sampler.config.js';
import { HOST_READER } from './host-reader.js';
import { createHostReader } from './host-reader.factory.js';
import { PortableHostReader } from './portable-host.reader.js';

/** The host readers: procfs and sysfs on Linux, systeminformation elsewhere, as HOST_READER. */
@Module({
  providers: [
    PortableHostReader,
    {
      provide: HOST_READER,
      inject: [samplerConfig.KEY, PortableHostReader],
      useFactory: (config: ConfigType<typeof samplerConfig>, portable: PortableHostReader) =>
        createHostReader(config, portable),
    },
  ],
  exports: [HOST_READER],
})
export class HostModule {}
