import { performance } from 'node:perf_hooks';
import { BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import { Observable, ReplaySubject, Subject } from 'rxjs';
import type { SampleReading } from '../metrics/sample.js';
import { SampleEvent } from './sample-event.js';

/**
 * Where samples meet their readers: the sampler publishes, the hub numbers each sample with the
 * stream's one sequence, keeps the latest and pushes it to every live subscriber.
 */
@Injectable()
export class SampleHubService implements BeforeApplicationShutdown {
  private readonly events$ = new Subject<SampleEvent>();
  private readonly stopped$ = new ReplaySubject<void>(1);
  // The sequence starts from the wall clock in milliseconds, so ids keep increasing across
  // restarts and a client resuming after one is never ahead of the server.
  private lastId = Date.now();
  private latestEvent: SampleEvent | undefined;

  /** Every sample published from now on. Completes at shutdown. */
  readonly events: Observable<SampleEvent> = this.events$.asObservable();
  /** Emits once when the application starts shutting down. */
  readonly stopped: Observable<void> = this.stopped$.asObservable();

  get latest(): SampleEvent | undefined {
    return this.latestEvent;
  }

  /** The id of the newest event, or of the position before the first one. */
  get newestId(): number {
    return this.lastId;
  }

  /** Milliseconds since the latest sample was published; undefined before the first. */
  latestAgeMs(): number | undefined {
    return this.latestEvent ? performance.now() - this.latestEvent.publishedAt : undefined;
  }

  publish(reading: SampleReading): SampleEvent {
    const id = ++this.lastId;
    const event = new SampleEvent(id, { id, ...reading }, performance.now());
    this.latestEvent = event;
    this.events$.next(event);
    return event;
  }

  beforeApplicationShutdown(): void {
    this.stopped$.next();
    this.stopped$.complete();
    this.events$.complete();
  }
}
