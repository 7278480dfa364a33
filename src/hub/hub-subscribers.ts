import type { Logger } from '@nestjs/common';
import { Observable, Subject, type Subscription } from 'rxjs';
import { RateLimitedLogger } from '../common/rate-limited-logger.js';
import type { HubEvent } from './hub-event.js';

/**
 * The hub's live readers. Every event is handed to each of them in id order: one published
 * while the previous is being handed out (an alert raised by a sample) waits its turn. An
 * exception of a reader is contained: logged (rate-limited), counted, and no further.
 */
export class HubSubscribers {
  private readonly failures: RateLimitedLogger;
  private errorCount = 0;
  private readonly events$ = new Subject<HubEvent>();
  private readonly queue: HubEvent[] = [];
  private dispatching = false;

  /**
   * Every event dispatched from now on, in id order. Completes at shutdown. RxJS rethrows an
   * exception of a subscriber here asynchronously, which ends the process: consumers use
   * {@link subscribe}, which contains it.
   */
  readonly events: Observable<HubEvent> = this.events$.asObservable();

  constructor(logger: Logger) {
    this.failures = new RateLimitedLogger(logger);
  }

  /** Exceptions thrown by subscribers so far. */
  get errors(): number {
    return this.errorCount;
  }

  /**
   * Calls `next` with every event dispatched from now on, in id order, and `complete` at
   * shutdown. An exception in either is logged (at most one warning per 10 s), counted and goes
   * no further: the other consumers, the publisher and the process carry on, and so does this
   * consumer with the next event.
   */
  subscribe(
    consumer: string,
    next: (event: HubEvent) => void,
    complete?: () => void,
  ): Subscription {
    return this.events$.subscribe({
      next: (event) => this.contain(consumer, () => next(event), event.eventId),
      complete: complete && (() => this.contain(consumer, complete)),
    });
  }

  /** Hands `event` to every subscriber, after the events still being handed out. */
  dispatch(event: HubEvent): void {
    this.queue.push(event);
    if (this.dispatching) {
      return;
    }
    this.dispatching = true;
    try {
      for (let next = this.queue.shift(); next; next = this.queue.shift()) {
        this.events$.next(next);
      }
    } finally {
      this.dispatching = false;
    }
  }

  /** Ends every subscription: nothing more will be dispatched. */
  complete(): void {
    this.events$.complete();
  }

  private contain(consumer: string, handle: () => void, eventId?: string): void {
    try {
      handle();
    } catch (error) {
      this.errorCount++;
      const at = eventId === undefined ? 'at shutdown' : `on event ${eventId}`;
      const reason = error instanceof Error ? (error.stack ?? error.message) : String(error);
      this.failures.warn(`The ${consumer} failed ${at}, and carries on: ${reason}`);
    }
  }
}
