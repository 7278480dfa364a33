import { Controller, Get, Header } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProtected } from '../common/api-protected.decorator.js';
import { eventIdValue } from '../hub/event-id.js';
import { SampleHubService } from '../hub/sample-hub.service.js';
import { AlertsService } from './alerts.service.js';
import { formatDuration } from '../common/duration.js';
import { AlertDto } from '../hub/dto/alert.dto.js';
import { AlertsResponseDto } from './dto/alerts-response.dto.js';

// AlertDto is the payload of the stream's alert events, described in the AsyncAPI document.
@ApiTags('alerts')
@ApiExtraModels(AlertDto)
@ApiProtected()
@Controller('api/v1/alerts')
export class AlertsController {
  constructor(
    private readonly hub: SampleHubService,
    private readonly alerts: AlertsService,
  ) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Active alerts and the rules in force',
    description:
      'Rules come from VITALS_ALERTS_FILE or the built-in defaults. Changes of state are also ' +
      'pushed on /api/v1/stream as `alert` events, in the same id sequence as samples. On a ' +
      "gateway, `active` holds every agent's active alerts (each agent evaluates its own rules) " +
      "and `rules` are the gateway's own, which the dashboard colours values with.",
  })
  @ApiOkResponse({ description: 'The active alerts and the rules', type: AlertsResponseDto })
  list(): AlertsResponseDto {
    return {
      active: this.hub.activeAlerts.map((event) => ({
        id: eventIdValue(event.eventId),
        ...event.alert,
      })),
      rules: this.alerts.rules.map((rule) => ({
        name: rule.name,
        metric: rule.metric,
        warning: rule.warning,
        critical: rule.critical,
        for: formatDuration(rule.forMs),
        forMs: rule.forMs,
        hysteresis: rule.hysteresis,
      })),
    };
  }
}
