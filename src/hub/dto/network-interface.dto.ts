import { IsString } from 'class-validator';
import { IsFiniteNumber, Nullable } from '../../common/dto/schema-decorators.js';

/** Traffic of one network interface (loopback left out), per second over the last tick. */
export class NetworkInterfaceDto {
  /** Interface name, e.g. "eth0". */
  @IsString()
  iface!: string;
  /** Received bytes per second; null until two readings exist or after a counter reset. */
  @Nullable()
  @IsFiniteNumber()
  rxBytesPerSec!: number | null;
  /** Sent bytes per second; null until two readings exist or after a counter reset. */
  @Nullable()
  @IsFiniteNumber()
  txBytesPerSec!: number | null;
}
