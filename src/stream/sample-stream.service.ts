import {
  BadRequestException,
  Inject,
  Injectable,
  Logger,
  type MessageEvent,
  ServiceUnavailableException,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { Observable, interval, share } from 'rxjs';
import { samplerConfig } from '../config/sampler.config.js';
import { streamConfig } from '../config/stream.config.js';
import type { SampleProjection } from './sample-projection.js';
import { SampleHubService } from './sample-hub.service.js';
import { type SessionOutput, StreamSession } from './stream-session.js';

/** Reconnection delay suggested to EventSource clients in the first frame. */
export const RETRY_MS = 2000;

const PING: MessageEvent = { comment: 'ping' };

export interface StreamRequest {
  projection: SampleProjection;
  /** The groups named in the meta frame; no meta frame when undefined (the demo stream). */
  groups?: readonly string[];
  /** Milliseconds between delivered samples: a multiple of the interval. */
  every?: number;
  /** The last id the client has seen (Last-Event-ID); replay what came after it. */
  lastEventId?: number;
  /** false: no catch-up, live events only. */
  replay?: boolean;
}

/** Counters of the streams' life, for readiness and /metrics. */
export interface StreamStats {
  open: number;
  opened: number;
  dropped: number;
  rejected: number;
  /** Event frames sent to subscribers since startup. */
  eventsSent: number;
}

/**
 * Opens subscriber streams over the hub: checks the request against the hub's state (so bad
 * resumes and the subscriber cap are 400/503 before any byte of stream), then runs one
 * StreamSession per connection.
 */
@Injectable()
export class SampleStreamService {
  private readonly logger = new Logger(SampleStreamService.name);
  private readonly sessions = new Set<StreamSession>();
  private readonly counters: StreamStats = {
    open: 0,
    opened: 0,
    dropped: 0,
    rejected: 0,
    eventsSent: 0,
  };
  // One timer for every connection's heartbeat, running only while some stream is open.
  private readonly heartbeatCheck$: Observable<number>;

  constructor(
    private readonly hub: SampleHubService,
    @Inject(samplerConfig.KEY) private readonly sampler: ConfigType<typeof samplerConfig>,
    @Inject(streamConfig.KEY) private readonly config: ConfigType<typeof streamConfig>,
  ) {
    this.heartbeatCheck$ = interval(Math.ceil(config.heartbeatMs / 5)).pipe(share());
  }

  /** Streams open right now. */
  get subscribers(): number {
    return this.sessions.size;
  }

  get stats(): Readonly<StreamStats> {
    let sentByOpen = 0;
    this.sessions.forEach((session) => (sentByOpen += session.sent));
    return {
      ...this.counters,
      open: this.sessions.size,
      eventsSent: this.counters.eventsSent + sentByOpen,
    };
  }

  /**
   * A stream of frames for one client: meta (unless the demo), a gap frame if the resume point
   * is gone, the retained events after it (or the latest sample for a new client), then live
   * events, with `: ping` comments when nothing else went out for the heartbeat interval.
   * Throws 400/503 exceptions before the stream starts.
   */
  open(request: StreamRequest, output: SessionOutput): Observable<MessageEvent> {
    if (this.sessions.size >= this.config.maxSubscribers) {
      this.counters.rejected++;
      throw new ServiceUnavailableException({
        message: `Too many subscribers: the limit is ${this.config.maxSubscribers} open streams`,
        code: 'TOO_MANY_SUBSCRIBERS',
      });
    }
    const everyN = this.everyN(request.every);
    const after = this.startAfter(request);
    return new Observable<MessageEvent>((subscriber) => {
      const session = new StreamSession(
        this.hub,
        output,
        subscriber,
        {
          projection: request.projection,
          everyN,
          after,
          prelude: request.groups ? [this.metaFrame(request, everyN, after)] : [],
          maxLagBytes: this.config.clientBufferBytes,
        },
        () => this.onDropped(),
      );
      this.sessions.add(session);
      this.counters.opened++;
      const events = this.hub.events.subscribe({
        next: (event) => session.onPublish(event),
        complete: () => subscriber.complete(),
      });
      const pings = this.heartbeatCheck$.subscribe(() =>
        session.ping(PING, this.config.heartbeatMs, Date.now()),
      );
      session.start();
      return () => {
        session.close();
        events.unsubscribe();
        pings.unsubscribe();
        this.sessions.delete(session);
        this.counters.eventsSent += session.sent;
      };
    });
  }

  private onDropped(): void {
    this.counters.dropped++;
    this.logger.warn(
      `Disconnected a subscriber that fell more than ${this.config.clientBufferBytes} bytes behind`,
    );
  }

  private everyN(every: number | undefined): number {
    if (every === undefined) {
      return 1;
    }
    const { intervalMs } = this.sampler;
    if (every % intervalMs !== 0) {
      throw new BadRequestException({
        message: `every must be a multiple of the sampling interval (${intervalMs} ms), got ${every}`,
        code: 'INVALID_QUERY',
      });
    }
    return every / intervalMs;
  }

  // The id after which this client's events start.
  private startAfter({ lastEventId, replay = true }: StreamRequest): number {
    const newest = this.hub.newestId;
    if (lastEventId !== undefined && lastEventId > newest) {
      throw new BadRequestException({
        message: `Last-Event-ID ${lastEventId} is ahead of the newest event ${newest}`,
        code: 'INVALID_QUERY',
      });
    }
    if (!replay) {
      return newest;
    }
    if (lastEventId !== undefined) {
      return lastEventId;
    }
    // A new client: start with the latest sample, so its page is never blank for a tick.
    const latest = this.hub.latest;
    return latest ? latest.id - 1 : newest;
  }

  // The meta frame's id is the position the stream starts after, so a client that reconnects
  // right after it resumes from exactly there (Nest would otherwise number it itself).
  private metaFrame(request: StreamRequest, everyN: number, after: number): MessageEvent {
    return {
      type: 'meta',
      id: String(after),
      retry: RETRY_MS,
      data: JSON.stringify({
        host: this.sampler.hostName,
        intervalMs: this.sampler.intervalMs,
        every: everyN * this.sampler.intervalMs,
        heartbeatMs: this.config.heartbeatMs,
        groups: request.groups,
        replay: request.replay ?? true,
        retained: this.hub.retained ?? null,
      }),
    };
  }
}
