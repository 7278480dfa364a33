import { performance } from 'node:perf_hooks';
import { BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { Observable, Subject } from 'rxjs';
import { streamConfig } from '../config/stream.config.js';
import type { SampleReading } from '../metrics/sample.js';
import { EventRing } from './event-ring.js';
import { SampleEvent } from './sample-event.js';

/** The ids the hub still holds: what a client can resume from or page through. */
export interface RetainedRange {
  oldest: number;
  newest: number;
}

/**
 * Where samples meet their readers: the sampler publishes, the hub numbers each sample with the
 * stream's one sequence, retains the last VITALS_HISTORY events (frames serialized at most once
 * each) and pushes every new one to the live subscribers.
 */
@Injectable()
export class SampleHubService implements BeforeApplicationShutdown {
  private readonly events$ = new Subject<SampleEvent>();
  private readonly ring: EventRing<SampleEvent>;
  // The sequence starts from the wall clock in milliseconds, so ids keep increasing across
  // restarts and a client resuming after one is never ahead of the server.
  private lastId = Date.now();
  private samples = 0;

  /** Every event published from now on. Completes at shutdown. */
  readonly events: Observable<SampleEvent> = this.events$.asObservable();

  constructor(@Inject(streamConfig.KEY) config: ConfigType<typeof streamConfig>) {
    this.ring = new EventRing(config.history);
  }

  get latest(): SampleEvent | undefined {
    return this.ring.newest;
  }

  /** The id of the newest event, or of the position before the first one. */
  get newestId(): number {
    return this.lastId;
  }

  /** The retained ids; undefined before the first event. */
  get retained(): RetainedRange | undefined {
    const { oldest, newest } = this.ring;
    return oldest && newest ? { oldest: oldest.id, newest: newest.id } : undefined;
  }

  /** Milliseconds since the latest sample was published; undefined before the first. */
  latestAgeMs(): number | undefined {
    const latest = this.ring.newest;
    return latest ? performance.now() - latest.publishedAt : undefined;
  }

  /** The first retained event after `id`: where a reader at `id` continues. */
  next(id: number): SampleEvent | undefined {
    return this.ring.after(id);
  }

  /** Up to `limit` retained samples after `since`, or the newest `limit`; oldest first. */
  history(since: number | undefined, limit: number): SampleEvent[] {
    if (since === undefined) {
      return this.ring.latest(limit);
    }
    const page: SampleEvent[] = [];
    for (const event of this.ring.since(since)) {
      if (page.length === limit) {
        break;
      }
      page.push(event);
    }
    return page;
  }

  publish(reading: SampleReading): SampleEvent {
    const id = ++this.lastId;
    const event = new SampleEvent(id, this.samples++, { id, ...reading }, performance.now());
    this.ring.push(event);
    this.events$.next(event);
    return event;
  }

  beforeApplicationShutdown(): void {
    this.events$.complete();
  }
}
