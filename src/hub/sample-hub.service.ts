import { performance } from 'node:perf_hooks';
import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { Observable, Subject, type Subscription } from 'rxjs';
import { RateLimitedLogger } from '../common/rate-limited-logger.js';
import { streamConfig } from '../config/stream.config.js';
import type { AlertChange } from './alert-change.js';
import type { Sample, SampleReading } from './sample.js';
import { AlertEvent, alertKey } from './alert-event.js';
import { EventRing } from './event-ring.js';
import { HostDirectory, type HostSeen } from './host-directory.js';
import {
  compareEventIds,
  eventIdValue,
  parseEventId,
  type EventId,
  type EventIdValue,
} from './event-id.js';
import { GapEvent } from './gap-event.js';
import type { HubEvent } from './hub-event.js';
import { ResumePoints, type ResumePoint } from './resume-points.js';
import { SampleEvent } from './sample-event.js';

/** The ids the hub still holds: what a client can resume from or page through. */
export interface RetainedRange {
  oldest: EventIdValue;
  newest: EventIdValue;
}

/** An event from another process, with the id it was given there (a Redis Stream entry id). */
export type RemoteEvent =
  | { eventId: string; kind: 'sample'; sample: Sample }
  | { eventId: string; kind: 'alert'; alert: AlertChange };

/**
 * Where samples and alerts meet their readers. Events come from this process's sampler and alert
 * rules (`publish`, `publishAlert`: the hub numbers them) or, on a gateway, from the agents
 * through Redis (`ingest`: they keep Redis's ids). The hub retains the last VITALS_HISTORY events
 * (frames serialized at most once each), pushes every new one to the live subscribers, and keeps
 * the newest sample of each host and the alerts that are active, as their latest change says.
 */
@Injectable()
export class SampleHubService implements BeforeApplicationShutdown {
  private readonly failures = new RateLimitedLogger(new Logger(SampleHubService.name));
  private subscriberErrorCount = 0;
  private readonly events$ = new Subject<HubEvent>();
  private readonly ring: EventRing<HubEvent>;
  private readonly resumePoints: ResumePoints;
  private latestSample: SampleEvent | undefined;
  private readonly directory = new HostDirectory();
  private readonly active = new Map<string, AlertEvent>();
  // Events published while the previous one is being handed out (an alert raised by a sample)
  // wait here, so every subscriber sees every event in id order.
  private readonly queue: HubEvent[] = [];
  private dispatching = false;
  // The position sequence starts from the wall clock in milliseconds, so a standalone process's
  // ids keep increasing across restarts and a client resuming after one is never ahead of it.
  private lastId = Date.now();
  private newestRemote: EventId | undefined;

  /**
   * Every event published from now on, in id order. Completes at shutdown. RxJS rethrows an
   * exception of a subscriber here asynchronously, which ends the process: consumers use
   * {@link subscribe}, which contains it.
   */
  readonly events: Observable<HubEvent> = this.events$.asObservable();

  constructor(@Inject(streamConfig.KEY) config: ConfigType<typeof streamConfig>) {
    this.ring = new EventRing(config.history);
    this.resumePoints = new ResumePoints(this.ring, config.remoteIds ?? false, () => this.lastId);
  }

  /**
   * Calls `next` with every event published from now on, in id order, and `complete` at
   * shutdown. An exception in either is logged (at most one warning per 10 s), counted and goes
   * no further: the other consumers, the publisher (the sampler, a gateway's feed) and the
   * process carry on, and so does this consumer with the next event.
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

  /** Exceptions thrown by subscribers so far. */
  get subscriberErrors(): number {
    return this.subscriberErrorCount;
  }

  /** The newest sample. */
  get latest(): SampleEvent | undefined {
    return this.latestSample;
  }

  /** The newest sample of any of `hosts` (of any host when undefined). */
  latestOf(hosts: ReadonlySet<string> | undefined): SampleEvent | undefined {
    return hosts ? this.directory.newestOf(hosts) : this.latestSample;
  }

  /** The newest sample of each host, for scrapes: samples from elsewhere say whose they are. */
  latestSamples(): Iterable<{ sample: Sample; labelHost: boolean }> {
    return this.directory.newestSamples();
  }

  /** Every host with a sample, by name. */
  hosts(): HostSeen[] {
    return this.directory.list();
  }

  /** The alerts in warning or critical now: the latest change of each, oldest first. */
  get activeAlerts(): AlertEvent[] {
    return [...this.active.values()];
  }

  /** The position of the newest event, or of the position before the first one. */
  get newestId(): number {
    return this.lastId;
  }

  /** The retained ids, as clients see them; undefined before the first event. */
  get retained(): RetainedRange | undefined {
    const { oldest, newest } = this.ring;
    return oldest && newest
      ? { oldest: eventIdValue(oldest.eventId), newest: eventIdValue(newest.eventId) }
      : undefined;
  }

  /** Milliseconds since the latest sample was published; undefined before the first. */
  latestAgeMs(): number | undefined {
    const latest = this.latestSample;
    return latest ? performance.now() - latest.publishedAt : undefined;
  }

  /** The first retained event after position `id`: where a reader at `id` continues. */
  next(id: number): HubEvent | undefined {
    return this.ring.after(id);
  }

  /**
   * Where a client that has seen event `text` (Last-Event-ID, lastEventId=, since=) continues.
   * Throws a 400 for what cannot be an id of this stream.
   */
  resolve(text: string, parameter: string): ResumePoint {
    return this.resumePoints.resolve(text, parameter);
  }

  /** The id clients know the event at position `id` by; undefined when the hub cannot tell. */
  eventIdAt(id: number): string | undefined {
    return this.resumePoints.eventIdAt(id);
  }

  /** Up to `limit` retained samples of `hosts` after position `since`, or the newest `limit`. */
  history(since: number | undefined, limit: number, hosts?: ReadonlySet<string>): SampleEvent[] {
    const samples = (events: Iterable<HubEvent>): SampleEvent[] => {
      const page: SampleEvent[] = [];
      for (const event of events) {
        if (page.length === limit) {
          break;
        }
        if (event instanceof SampleEvent && (!hosts || hosts.has(event.host))) {
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
    return this.pushSample(
      new SampleEvent(
        id,
        String(id),
        this.directory.nextIndex(reading.host),
        { id, ...reading },
        now(),
      ),
    );
  }

  publishAlert(alert: AlertChange): AlertEvent {
    const id = ++this.lastId;
    return this.pushAlert(new AlertEvent(id, String(id), alert, now()));
  }

  /**
   * Takes an event from another process, in the order of its ids. One at or before the newest
   * taken (read again after a reconnection) is ignored.
   */
  ingest(remote: RemoteEvent): HubEvent | undefined {
    const id = parseEventId(remote.eventId);
    if (!id || (this.newestRemote && compareEventIds(id, this.newestRemote) <= 0)) {
      return undefined;
    }
    this.newestRemote = id;
    const position = ++this.lastId;
    const value = eventIdValue(remote.eventId);
    if (remote.kind === 'alert') {
      return this.pushAlert(new AlertEvent(position, remote.eventId, remote.alert, now(), true));
    }
    const sample = { ...remote.sample, id: value };
    const index = this.directory.nextIndex(sample.host);
    return this.pushSample(new SampleEvent(position, remote.eventId, index, sample, now(), true));
  }

  /**
   * Tells every stream that the events after `from` and before `to` are lost (a gateway's Redis
   * trimmed them while it could not read): a `gap` frame, in the id sequence like any event.
   */
  publishGap(from: string, to: string): GapEvent {
    const event = new GapEvent(++this.lastId, from, to, now());
    this.push(event);
    return event;
  }

  /**
   * Takes an alert another process raised before this one started (its event long gone from
   * memory) as active. It is state, not an event: it is not streamed, only listed.
   */
  restoreAlert(eventId: string, alert: AlertChange): void {
    const key = alertKey(alert);
    if (alert.severity !== 'resolved' && !this.active.has(key)) {
      this.active.set(key, new AlertEvent(-1, eventId, alert, now(), true));
    }
  }

  /**
   * `remote` as an event of its own, outside the hub's sequence: one read from the archive.
   * `sampleIndex` is its place among its host's samples on that read, for `every=`.
   */
  detached(remote: RemoteEvent, sampleIndex: number): HubEvent {
    return remote.kind === 'alert'
      ? new AlertEvent(-1, remote.eventId, remote.alert, now(), true)
      : new SampleEvent(
          -1,
          remote.eventId,
          sampleIndex,
          { ...remote.sample, id: eventIdValue(remote.eventId) },
          now(),
          true,
        );
  }

  /**
   * Where a new client starts so that it gets the newest sample of each of `hosts` (every host
   * when undefined) that reported in the last minute, or else the newest one.
   */
  startForNewClient(hosts: ReadonlySet<string> | undefined): number {
    const oldest = this.ring.oldest;
    if (!oldest) {
      return this.lastId;
    }
    const latest = this.latestOf(hosts);
    const start =
      this.directory.oldestRecent(hosts, oldest.id, performance.now() - RECENT_MS) ??
      // A sample that has left memory is not sent (nor a gap before it): live from now on.
      (latest && latest.id >= oldest.id ? latest : undefined);
    return start === undefined ? this.lastId : start.id - 1;
  }

  private pushSample(event: SampleEvent): SampleEvent {
    this.latestSample = event;
    this.directory.record(event);
    this.push(event);
    return event;
  }

  private pushAlert(event: AlertEvent): AlertEvent {
    const key = alertKey(event.alert);
    // Re-inserted, so the map stays in the order the alerts entered their current state.
    this.active.delete(key);
    if (event.alert.severity !== 'resolved') {
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

  private contain(consumer: string, handle: () => void, eventId?: string): void {
    try {
      handle();
    } catch (error) {
      this.subscriberErrorCount++;
      const at = eventId === undefined ? 'at shutdown' : `on event ${eventId}`;
      const reason = error instanceof Error ? (error.stack ?? error.message) : String(error);
      this.failures.warn(`The ${consumer} failed ${at}, and carries on: ${reason}`);
    }
  }
}

const now = (): number => performance.now();
// A host whose newest sample is older than this has stopped reporting: a new client does not
// start with it.
const RECENT_MS = 60_000;
