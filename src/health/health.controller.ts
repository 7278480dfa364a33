import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import {
  HealthCheck,
  type HealthCheckResult,
  HealthCheckService,
  HealthIndicatorService,
} from '@nestjs/terminus';
import { ErrorResponseDto } from '../common/dto/error-response.dto.js';
import { Telemetry } from '../hub/telemetry.js';
import { HealthStatusDto } from './dto/health-status.dto.js';
import { ErrorCode } from '../common/error-code.js';

// Terminus documents its own 503 body; ours has the contract's error shape, so the routes are
// documented here instead.
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly telemetry: Telemetry,
  ) {}

  @Get('live')
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOperation({ summary: 'Liveness: the process is up and serving requests' })
  @ApiOkResponse({ description: 'Alive', type: HealthStatusDto })
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOperation({
    summary:
      'Readiness: the latest sample is younger than three intervals (a gateway: Redis is reachable)',
    description:
      "`details.sampler` has the latest sample's age and the sampler's counters; " +
      '`details.streams` the open, opened, dropped (too slow) and rejected (over the cap) ' +
      'streams; `details.alerts` the active alerts by severity (informational: alerts never ' +
      'make vitals unready); `details.transport` the link to Redis in agent and gateway modes ' +
      '(a gateway is unready while Redis is unreachable; an agent stays ready and buffers).',
  })
  @ApiOkResponse({ description: 'Ready', type: HealthStatusDto })
  @ApiServiceUnavailableResponse({
    description: 'Not ready (code NOT_READY); `details` says which check failed and why',
    type: ErrorResponseDto,
  })
  async ready(): Promise<HealthCheckResult> {
    try {
      // Each room's own entry (sampler, streams, alerts, transport), as it reports it.
      return await this.health.check(
        [...this.telemetry.readiness()].map(([key, check]) => () => {
          const { ready, details } = check();
          const indicator = this.indicators.check(key);
          return ready ? indicator.up(details) : indicator.down(details);
        }),
      );
    } catch (error) {
      if (error instanceof ServiceUnavailableException) {
        const result = error.getResponse() as Partial<HealthCheckResult>;
        throw new ServiceUnavailableException({
          message: notReadyMessage(result.details),
          code: ErrorCode.NOT_READY,
          details: result.details,
        });
      }
      throw error;
    }
  }
}

function notReadyMessage(details: HealthCheckResult['details'] | undefined): string {
  return details?.transport?.status === 'down'
    ? 'Not ready: Redis is unreachable'
    : 'Not ready: the sampler has no fresh sample';
}
