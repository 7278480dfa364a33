import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { transportConfig } from '../config/transport.config.js';
import { errorMessage } from '../common/error-message.js';
import type { DeliveryLease } from '../hub/delivery-lease.port.js';
import { RedisStreamRepository } from './redis-stream.repository.js';

/** How long the lease lasts without renewal: a dead holder's replica takes over within it. */
export const LEASE_TTL_MS = 15_000;
// Renewed three times per lease: one missed renewal (a slow Redis) does not lose it.
const RENEW_MS = LEASE_TTL_MS / 3;

/**
 * The lease that makes one gateway replica the one that delivers alerts: `SET NX PX` in Redis,
 * renewed by its holder, taken by another replica once it expires (the holder died) or is
 * given up (the holder stopped). While Redis cannot be reached, nobody holds it: a replica
 * that lost Redis also stops delivering, rather than risk two deliveries.
 */
@Injectable()
export class RedisDeliveryLease
  implements DeliveryLease, OnApplicationBootstrap, BeforeApplicationShutdown
{
  private readonly logger = new Logger('DeliveryLease');
  private readonly owner = `${hostname()}:${process.pid}:${randomUUID()}`;
  private readonly key: string;
  private timer: NodeJS.Timeout | undefined;
  private held = false;
  private heldUntil = 0;

  constructor(
    private readonly redis: RedisStreamRepository,
    @Inject(transportConfig.KEY) config: ConfigType<typeof transportConfig>,
  ) {
    this.key = `${config.stream}:delivery-lease`;
  }

  /** Holding it, and not past when it would have expired (a renewal may be on its way). */
  get holder(): boolean {
    return this.held && Date.now() < this.heldUntil;
  }

  onApplicationBootstrap(): void {
    if (!this.redis.connect('vitals-gateway-lease')) {
      return;
    }
    void this.renew();
    this.timer = setInterval(() => void this.renew(), RENEW_MS);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    if (this.held) {
      await this.redis.releaseLease(this.key, this.owner).catch(() => undefined);
    }
    this.redis.disconnect();
  }

  private async renew(): Promise<void> {
    const askedAt = Date.now();
    let held: boolean;
    try {
      held = await this.redis.holdLease(this.key, this.owner, LEASE_TTL_MS);
    } catch (error) {
      held = false;
      if (this.held) {
        this.logger.warn(`Lost the alert delivery lease: ${errorMessage(error)}`);
      }
    }
    if (held !== this.held) {
      this.logger.log(
        held
          ? 'This gateway delivers the alerts (it holds the lease)'
          : 'Another gateway delivers the alerts',
      );
    }
    this.held = held;
    // Counted from when it was asked for: Redis's expiry started no earlier.
    this.heldUntil = askedAt + LEASE_TTL_MS;
  }
}
