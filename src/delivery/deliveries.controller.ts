import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProtected } from '../common/api-protected.decorator.js';
import { DeliveriesResponseDto } from './dto/deliveries-response.dto.js';
import { DeliveryService } from './delivery.service.js';

@ApiTags('alerts')
@ApiProtected()
@Controller('api/v1/alerts/deliveries')
export class DeliveriesController {
  constructor(private readonly delivery: DeliveryService) {}

  @Get()
  @ApiOperation({
    summary: 'Recent alert deliveries',
    description:
      'What became of the latest alert changes sent to the receivers of the alert rules file ' +
      '(`receivers:` and `routes:`), newest first: sent, failed after its attempts, or dropped ' +
      'from a full queue. Empty when no receiver is configured.',
  })
  @ApiOkResponse({ type: DeliveriesResponseDto })
  deliveries(): DeliveriesResponseDto {
    return { deliveries: [...this.delivery.log.recent()] };
  }
}
