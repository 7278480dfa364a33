import { ApiProperty } from '@nestjs/swagger';
import { AlertDto } from '../../hub/dto/alert.dto.js';

/** An alert in warning or critical now, as its latest change left it. */
export class ActiveAlertDto extends AlertDto {
  /** The id of that change's `alert` event in the stream (a Redis Stream id on a gateway). */
  @ApiProperty({ oneOf: [{ type: 'integer' }, { type: 'string' }], example: 1795524273660 })
  id!: number | string;
}
