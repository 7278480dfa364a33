import { performance } from 'node:perf_hooks';
import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { type Observable, Subject, type Subscription } from 'rxjs';
import { streamConfig } from '../config/stream.config.js';
import { ActiveAlerts } from './active-alerts.js';
import type { AlertChange } from './alert-change.js';
import type { Sample, SampleReading } from './sample.js';
import { AlertEvent } from './alert-event.js';
import type { EventCursor } from './event-cursor.js';
import { EventRing } from './event-ring.js';
import { HostDirectory, type HostSeen } from './host-directory.js';
import { compareEventIds, parseEventId, type EventId } from './event-id.js';
import { GapEvent } from './gap-event.js';
import type { HubEvent } from './hub-event.js';
import { HubSubscribers } from './hub-subscribers.js';
import { remoteHubEvent, type RemoteEvent } from './remote-event.js';
import { ResumePoints, type ResumePoint, type RetainedRange } from './resume-points.js';
import { SampleEvent } from './sample-event.js';
import { samplePage } from './sample-page.js';
import { formatSse } from './sse-format.js';

export type { RemoteEvent } from './remote-event.js';

/** The hosts as they are now, and the `hosts` SSE frame saying so (serialized once, no id). */
export interface HostsNotice {
  hosts: HostSeen[];
  sse: Buffer;
}
export type { RetainedRange } from './resume-points.js';

/**
 * Where samples and alerts meet their readers. Events come from this process's sampler and alert
 * rules (`publish`, `publishAlert`: the hub numbers them) or, on a gateway, from the agents
 * through Redis (`ingest`: they keep Redis's ids). The hub retains the last VITALS_HISTORY events
 * (frames serialized at most once each), pushes every new one to the live subscribers, and keeps
 * the newest sample of each host and the alerts that are active, as their latest change says.
 */
@Injectable()
export class SampleHubService implements BeforeApplicationShutdown, EventCursor {
  private readonly subscribers = new HubSubscribers(new Logger(SampleHubService.name));
  private readonly ring: EventRing<HubEvent>;
  private readonly resumePoints: ResumePoints;
  private latestSample: SampleEvent | undefined;
  private readonly directory: HostDirectory;
  private readonly hostNotices$ = new Subject<HostsNotice>();
  private readonly active = new ActiveAlerts();
  // The position sequence starts from the wall clock in milliseconds, so a standalone process's
  // ids keep increasing across restarts and a client resuming after one is never ahead of it.
  private lastId = Date.now();
  private newestRemote: EventId | undefined;

  /**
   * Every event published from now on, in id order; completes at shutdown. An exception of a
   * subscriber here ends the process: consumers use {@link subscribe}, which contains it.
   */
  readonly events: Observable<HubEvent> = this.subscribers.events;

  /** The hosts whenever the set of hosts or their staleness changes (see {@link sweepHosts}). */
  readonly hostNotices: Observable<HostsNotice> = this.hostNotices$.asObservable();

  constructor(@Inject(streamConfig.KEY) config: ConfigType<typeof streamConfig>) {
    this.ring = new EventRing(config.history);
    this.directory = new HostDirectory({ ttlMs: config.hostTtlMs, intervalMs: config.intervalMs });
    this.resumePoints = new ResumePoints(this.ring, config.remoteIds ?? false, () => this.lastId);
  }

  /**
   * Calls `next` with every event published from now on, in id order, and `complete` at
   * shutdown. An exception in either is logged (rate-limited), counted and goes no further: the
   * other consumers, the publisher and the process carry on, and so does this consumer.
   */
  subscribe(
    consumer: string,
    next: (event: HubEvent) => void,
    complete?: () => void,
  ): Subscription {
    return this.subscribers.subscribe(consumer, next, complete);
  }

  /** Exceptions thrown by subscribers so far. */
  get subscriberErrors(): number {
    return this.subscribers.errors;
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

  /**
   * Marks the hosts silent for three of their intervals stale, forgets those silent past
   * VITALS_HOST_TTL (with their active alerts), and tells {@link hostNotices} when anything
   * changed since the last sweep, new hosts included. Returns the hosts forgotten.
   */
  sweepHosts(): string[] {
    const { changed, forgotten } = this.directory.sweep(now());
    forgotten.forEach((host) => this.active.forgetHost(host));
    if (changed) {
      const hosts = this.directory.list();
      const data = JSON.stringify({ hosts });
      this.hostNotices$.next({ hosts, sse: Buffer.from(formatSse({ event: 'hosts', data })) });
    }
    return forgotten;
  }

  /** The alerts in warning or critical now: the latest change of each, oldest first. */
  get activeAlerts(): AlertEvent[] {
    return this.active.list();
  }

  /** The position of the newest event, or of the position before the first one. */
  get newestId(): number {
    return this.lastId;
  }

  /** The retained ids, as clients see them; undefined before the first event. */
  get retained(): RetainedRange | undefined {
    return this.resumePoints.retained;
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
    return since === undefined
      ? samplePage(this.ring.newestFirst(), limit, hosts).reverse()
      : samplePage(this.ring.since(since), limit, hosts);
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
    const index = remote.kind === 'sample' ? this.directory.nextIndex(remote.sample.host) : 0;
    const event = remoteHubEvent(remote, ++this.lastId, index);
    return event instanceof AlertEvent ? this.pushAlert(event) : this.pushSample(event);
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
    this.active.restore(eventId, alert, now());
  }

  /**
   * `remote` as an event of its own, outside the hub's sequence: one read from the archive.
   * `sampleIndex` is its place among its host's samples on that read, for `every=`.
   */
  detached(remote: RemoteEvent, sampleIndex: number): HubEvent {
    return remoteHubEvent(remote, -1, sampleIndex);
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
    this.active.record(event);
    this.push(event);
    return event;
  }

  private push(event: HubEvent): void {
    this.ring.push(event);
    this.subscribers.dispatch(event);
  }

  beforeApplicationShutdown(): void {
    this.subscribers.complete();
    this.hostNotices$.complete();
  }
}

const now = (): number => performance.now();
// A host whose newest sample is older than this has stopped reporting: a new client does not
// start with it.
const RECENT_MS = 60_000;
