import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { AlertsModule } from './alerts/alerts.module.js';
import { AuthModule } from './auth/auth.module.js';
import { AllExceptionsFilter } from './common/all-exceptions.filter.js';
import { RequestValidationPipe } from './common/request-validation.pipe.js';
import { alertsConfig } from './config/alerts.config.js';
import { authConfig } from './config/auth.config.js';
import { samplerConfig } from './config/sampler.config.js';
import { serverConfig } from './config/server.config.js';
import { streamConfig } from './config/stream.config.js';
import { transportConfig } from './config/transport.config.js';
import { validateEnvironment } from './config/validate-environment.js';
import { DashboardModule } from './dashboard/dashboard.module.js';
import { HealthModule } from './health/health.module.js';
import { HostsModule } from './hosts/hosts.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { StreamModule } from './stream/stream.module.js';
import { TransportModule } from './transport/transport.module.js';

@Module({
  imports: [
    ConfigModule.forRoot({
      isGlobal: true,
      // main.ts loads .env itself, before this module is imported.
      ignoreEnvFile: true,
      load: [serverConfig, samplerConfig, streamConfig, alertsConfig, authConfig, transportConfig],
      // Validate, but leave process.env as it was: the typed namespaces carry the defaults.
      validate: (raw) => {
        validateEnvironment(raw);
        return raw;
      },
    }),
    ScheduleModule.forRoot(),
    StreamModule,
    TransportModule,
    MetricsModule,
    HostsModule,
    AlertsModule,
    AuthModule,
    HealthModule,
    DashboardModule,
  ],
  providers: [
    { provide: APP_PIPE, useClass: RequestValidationPipe },
    { provide: APP_FILTER, useClass: AllExceptionsFilter },
  ],
})
export class AppModule {}
