import { type DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { AlertsModule } from './alerts/alerts.module.js';
import { DeliveryModule } from './delivery/delivery.module.js';
import { AuthModule } from './auth/auth.module.js';
import { AllExceptionsFilter } from './common/all-exceptions.filter.js';
import { RequestValidationPipe } from './common/request-validation.pipe.js';
import { authConfig } from './config/auth.config.js';
import type { EnvironmentVariables } from './config/environment-variables.js';
import { samplerConfig } from './config/sampler.config.js';
import { serverConfig } from './config/server.config.js';
import { streamConfig } from './config/stream.config.js';
import { transportConfig } from './config/transport.config.js';
import { validateEnvironment } from './config/validate-environment.js';
import { DashboardModule } from './dashboard/dashboard.module.js';
import { HealthModule } from './health/health.module.js';
import { HostsModule } from './hosts/hosts.module.js';
import { HubModule } from './hub/hub.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { PrometheusModule } from './prometheus/prometheus.module.js';
import { RestModule } from './rest/rest.module.js';
import { RollupsModule } from './rollups/rollups.module.js';
import { StreamModule } from './stream/stream.module.js';
import { TransportModule } from './transport/transport.module.js';

/**
 * The composition root: the core (the hub) and every room around it. The only module that
 * knows them all; each room imports the hub and nothing else.
 */
@Module({})
export class AppModule {
  /** The application for `env`, the validated settings (the mode picks the transport). */
  static forRoot(env: EnvironmentVariables): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({
          isGlobal: true,
          // main.ts loads .env itself, before this module is imported.
          ignoreEnvFile: true,
          load: [serverConfig, samplerConfig, streamConfig, authConfig, transportConfig],
          // Validate, but leave process.env as it was: the typed namespaces carry the defaults.
          validate: (raw) => {
            validateEnvironment(raw);
            return raw;
          },
        }),
        ScheduleModule.forRoot(),
        HubModule,
        // Producers.
        MetricsModule,
        // Consumers.
        StreamModule,
        RestModule,
        PrometheusModule,
        HostsModule,
        AlertsModule,
        DeliveryModule,
        RollupsModule.forRoot(env.VITALS_ROLLUPS.trim() !== 'off'),
        HealthModule,
        // Between processes: a consumer in an agent, a producer in a gateway.
        TransportModule.forRoot(env.VITALS_MODE),
        AuthModule,
        DashboardModule,
      ],
      providers: [
        { provide: APP_PIPE, useClass: RequestValidationPipe },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
      ],
    };
  }
}
