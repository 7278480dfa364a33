import { Injectable } from '@nestjs/common';

/** Who may deliver alerts: one process among a gateway's replicas. */
export interface DeliveryLease {
  /** Whether this process holds the lease now. */
  readonly holder: boolean;
}

/**
 * Whether this process delivers alerts: always, unless a transport attaches a lease shared by
 * replicas (a gateway's, in Redis), of which only the holder delivers. The delivery asks it
 * without knowing the transport, and the transport plugs in without knowing the delivery.
 */
@Injectable()
export class DeliveryLeasePort {
  private lease: DeliveryLease | undefined;

  /** True without a lease: a process on its own delivers what it sees. */
  get holder(): boolean {
    return this.lease?.holder ?? true;
  }

  /** Whether a shared lease decides (for readiness). */
  get shared(): boolean {
    return this.lease !== undefined;
  }

  attach(lease: DeliveryLease): void {
    this.lease = lease;
  }
}
