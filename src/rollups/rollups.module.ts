import { type DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { HubModule } from '../hub/hub.module.js';
import { createPostgresRollupStore } from './postgres-rollup-store.factory.js';
import type { RollupStore } from './rollup-store.js';
import { ROLLUP_CLOCK, ROLLUP_STORE } from './rollup-store.token.js';
import { RollupsOff } from './rollups-off.js';
import { RollupsController } from './rollups.controller.js';
import { rollupsConfig, type RollupsConfig } from './rollups.config.js';
import { RollupsService } from './rollups.service.js';
import { RollupsTelemetry } from './rollups-telemetry.js';
import { createSqliteRollupStore } from './sqlite-rollup-store.factory.js';

/** The store VITALS_ROLLUP_URL names (PostgreSQL), else SQLite in VITALS_DATA_DIR. */
export function createRollupStore(config: RollupsConfig): RollupStore {
  if (config.url === undefined) {
    return createSqliteRollupStore(config.dataDir);
  }
  try {
    return createPostgresRollupStore(config.url);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${message}; VITALS_ROLLUPS=off runs without history`, { cause: error });
  }
}

/** Long-term history: a consumer of the hub's samples, writing tiers to SQLite or PostgreSQL. */
@Module({})
export class RollupsModule {
  static forRoot(enabled: boolean): DynamicModule {
    if (!enabled) {
      return { module: RollupsModule, imports: [HubModule], providers: [RollupsOff] };
    }
    return {
      module: RollupsModule,
      imports: [HubModule, ConfigModule.forFeature(rollupsConfig)],
      controllers: [RollupsController],
      providers: [
        {
          provide: ROLLUP_STORE,
          inject: [rollupsConfig.KEY],
          useFactory: createRollupStore,
        },
        { provide: ROLLUP_CLOCK, useValue: Date.now },
        RollupsService,
        RollupsTelemetry,
      ],
    };
  }
}
