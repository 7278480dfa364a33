import { AlertDto } from './alert.dto.js';

/** An alert in warning or critical now, as its latest change left it. */
export class ActiveAlertDto extends AlertDto {
  /** The id of that change's `alert` event in the stream. */
  id!: number;
}
