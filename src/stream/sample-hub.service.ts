import { performance } from 'node:perf_hooks';
import { BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { Observable, Subject } from 'rxjs';
import { streamConfig } from '../config/stream.config.js';
import type { AlertChange } from '../alerts/alert-rule.js';
import type { SampleReading } from '../metrics/sample.js';
import { AlertEvent, alertKey } from './alert-event.js';
import { EventRing } from './event-ring.js';
import type { HubEvent } from './hub-event.js';
import { SampleEvent } from './sample-event.js';

/** The ids the hub still holds: what a client can resume from or page through. */
export interface RetainedRange {
  oldest: number;
  newest: number;
}

/**
 * Where samples and alerts meet their readers: the sampler and the alert rules publish, the hub
 * numbers each event with the stream's one sequence, retains the last VITALS_HISTORY events
 * (frames serialized at most once each) and pushes every new one to the live subscribers. It
 * also keeps the alerts that are active, as their latest change says.
 */
@Injectable()
export class SampleHubService implements BeforeApplicationShutdown {
  private readonly events$ = new Subject<HubEvent>();
  private readonly ring: EventRing<HubEvent>;
  private latestSample: SampleEvent | undefined;
  private readonly active = new Map<string, AlertEvent>();
  // Events published while the previous one is being handed out (an alert raised by a sample)
  // wait here, so every subscriber sees every event in id order.
  private readonly queue: HubEvent[] = [];
  private dispatching = false;
  // The sequence starts from the wall clock in milliseconds, so ids keep increasing across
  // restarts and a client resuming after one is never ahead of the server.
  private lastId = Date.now();
  private samples = 0;

  /** Every event published from now on, in id order. Completes at shutdown. */
  readonly events: Observable<HubEvent> = this.events$.asObservable();

  constructor(@Inject(streamConfig.KEY) config: ConfigType<typeof streamConfig>) {
    this.ring = new EventRing(config.history);
  }

  /** The newest sample. */
  get latest(): SampleEvent | undefined {
    return this.latestSample;
  }

  /** The alerts in warning or critical now: the latest change of each, oldest first. */
  get activeAlerts(): AlertEvent[] {
    return [...this.active.values()];
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
    const latest = this.latestSample;
    return latest ? performance.now() - latest.publishedAt : undefined;
  }

  /** The first retained event after `id`: where a reader at `id` continues. */
  next(id: number): HubEvent | undefined {
    return this.ring.after(id);
  }

  /** Up to `limit` retained samples after `since`, or the newest `limit`; oldest first. */
  history(since: number | undefined, limit: number): SampleEvent[] {
    const samples = (events: Iterable<HubEvent>): SampleEvent[] => {
      const page: SampleEvent[] = [];
      for (const event of events) {
        if (page.length === limit) {
          break;
        }
        if (event instanceof SampleEvent) {
          page.push(event);
        }
      }
      return page;
    };
    return since === undefined
      ? samples(this.ring.newestFirst()).reverse()
      : samples(this.ring.since(since));
  }

  publish(reading: SampleReading): SampleEvent {
    const id = ++this.lastId;
    const event = new SampleEvent(id, this.samples++, { id, ...reading }, performance.now());
    this.latestSample = event;
    this.push(event);
    return event;
  }

  publishAlert(alert: AlertChange): AlertEvent {
    const event = new AlertEvent(++this.lastId, alert, performance.now());
    const key = alertKey(alert);
    // Re-inserted, so the map stays in the order the alerts entered their current state.
    this.active.delete(key);
    if (alert.severity !== 'resolved') {
      this.active.set(key, event);
    }
    this.push(event);
    return event;
  }

  private push(event: HubEvent): void {
    this.ring.push(event);
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

  beforeApplicationShutdown(): void {
    this.events$.complete();
  }
}
