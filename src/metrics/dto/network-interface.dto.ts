/** Traffic of one network interface (loopback left out), per second over the last tick. */
export class NetworkInterfaceDto {
  /** Interface name, e.g. "eth0". */
  iface!: string;
  /** Received bytes per second; null until two readings exist or after a counter reset. */
  rxBytesPerSec!: number | null;
  /** Sent bytes per second; null until two readings exist or after a counter reset. */
  txBytesPerSec!: number | null;
}
