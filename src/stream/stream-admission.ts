import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { DomainError } from '../common/domain-error.js';
import { ErrorCode } from '../common/error-code.js';
import { streamConfig } from '../config/stream.config.js';
import { AddressCounts } from './address-counts.js';

/**
 * Whether one more stream may open: under VITALS_MAX_SUBSCRIBERS in all (else 503
 * TOO_MANY_SUBSCRIBERS) and under VITALS_MAX_STREAMS_PER_IP from its address (else 429
 * TOO_MANY_STREAMS). Asked before any byte of the stream is written.
 */
@Injectable()
export class StreamAdmission {
  private readonly perAddress = new AddressCounts();
  private refused = 0;

  constructor(@Inject(streamConfig.KEY) private readonly config: ConfigType<typeof streamConfig>) {}

  /** Streams refused so far. */
  get rejected(): number {
    return this.refused;
  }

  /** Throws (and counts) when a stream from `address` may not open while `open` are. */
  admit(address: string, open: number): void {
    if (open >= this.config.maxSubscribers) {
      this.refused++;
      throw new DomainError(
        ErrorCode.TOO_MANY_SUBSCRIBERS,
        `Too many subscribers: the limit is ${this.config.maxSubscribers} open streams`,
      );
    }
    const cap = this.config.maxStreamsPerIp;
    if (cap > 0 && this.perAddress.get(address) >= cap) {
      this.refused++;
      throw new DomainError(
        ErrorCode.TOO_MANY_STREAMS,
        `Too many streams from one address: the limit is ${cap} open streams`,
      );
    }
  }

  /** A stream from `address` opened; it counts until {@link leave}. */
  enter(address: string): void {
    this.perAddress.add(address);
  }

  /** A stream from `address` closed. */
  leave(address: string): void {
    this.perAddress.remove(address);
  }
}
