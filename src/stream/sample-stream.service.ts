import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  BadRequestException,
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
  Logger,
  OnModuleDestroy,
  ServiceUnavailableException,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Subscription } from 'rxjs';
import { samplerConfig } from '../config/sampler.config.js';
import { streamConfig } from '../config/stream.config.js';
import { AddressCounts } from './address-counts.js';
import { ArchivePort } from '../hub/archive-port.js';
import { ArchiveCatchUp } from './archive-catch-up.js';
import type { HubEvent } from '../hub/hub-event.js';
import type { StreamRequest, StreamStats } from './stream-request.js';
import type { ResumePoint } from '../hub/resume-points.js';
import { SampleHubService } from '../hub/sample-hub.service.js';
import { formatSse } from '../hub/sse-format.js';
import { StreamSession } from './stream-session.js';

/** Reconnection delay suggested to EventSource clients in the first frame. */
export const RETRY_MS = 2000;

const SSE_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-store, no-transform',
  Connection: 'keep-alive',
  // nginx: do not buffer the stream.
  'X-Accel-Buffering': 'no',
};

/**
 * Serves subscriber streams from the hub. A request is checked against the hub's state first,
 * so a bad resume or the subscriber cap is a 400/503 before any byte of stream. Then one
 * StreamSession per connection writes the hub's pre-serialized frames straight to the socket:
 * per subscriber and tick that is one write() and no allocation, with no per-request pipeline
 * between the hub and the socket.
 */
@Injectable()
export class SampleStreamService implements OnModuleDestroy {
  private readonly logger = new Logger(SampleStreamService.name);
  private readonly sessions = new Map<StreamSession, ServerResponse>();
  private readonly perIp = new AddressCounts();
  private readonly counters: StreamStats = {
    open: 0,
    opened: 0,
    dropped: 0,
    rejected: 0,
    eventsSent: 0,
  };
  private readonly subscription: Subscription;
  // One timer for every connection's heartbeat, running only while some stream is open.
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(
    private readonly hub: SampleHubService,
    @Inject(samplerConfig.KEY) private readonly sampler: ConfigType<typeof samplerConfig>,
    @Inject(streamConfig.KEY) private readonly config: ConfigType<typeof streamConfig>,
    private readonly archives: ArchivePort,
  ) {
    // One subscription to the hub for all subscribers; each event is handed to every session.
    this.subscription = hub.subscribe(
      'stream fan-out',
      (event) => this.publish(event),
      () => this.endAll(),
    );
  }

  /** Streams open right now. */
  get subscribers(): number {
    return this.sessions.size;
  }

  get stats(): Readonly<StreamStats> {
    let sentByOpen = 0;
    this.sessions.forEach((_, session) => (sentByOpen += session.sent));
    return {
      ...this.counters,
      open: this.sessions.size,
      eventsSent: this.counters.eventsSent + sentByOpen,
    };
  }

  onModuleDestroy(): void {
    this.subscription.unsubscribe();
    this.endAll();
  }

  /**
   * Answers `request` with an event stream on `res`: meta (unless the demo), a gap frame if the
   * resume point is gone, the retained events after it (or the latest sample for a new client),
   * then live events, with `: ping` comments when nothing else went out for the heartbeat
   * interval. Throws 400/503 exceptions before anything is written.
   */
  open(request: StreamRequest, req: IncomingMessage, res: ServerResponse): void {
    this.admit(request, req);
    const everyN = this.everyN(request.every);
    const start = this.startAfter(request);
    const alerts = request.alerts ?? true;
    res.writeHead(200, SSE_HEADERS);
    if (req.method === 'HEAD' || res.destroyed) {
      res.end();
      return;
    }
    const ip = this.clientIp(request, req);
    req.socket.setNoDelay(true);
    req.socket.setKeepAlive(true);
    req.socket.setTimeout(0);
    // Flushes the headers now, not with the first event.
    res.write('\n');
    const afterEventId =
      (request.replay === false ? undefined : request.lastEventId) ??
      this.hub.eventIdAt(start.after);
    const archive = this.archives.current;
    const prelude = request.groups
      ? this.prelude(request, everyN, start, afterEventId, alerts)
      : [];
    const session = new StreamSession(
      this.hub,
      res,
      {
        projection: request.projection,
        hosts: request.hosts,
        everyN,
        alerts,
        after: start.after,
        afterEventId,
        skipThrough: start.skipThrough,
        prelude,
        // A client resuming from before the hub's memory catches up from the archive first.
        catchUp:
          start.archiveAfter !== undefined && archive
            ? new ArchiveCatchUp(
                archive,
                this.hub,
                start.archiveAfter,
                this.hub.eventIdAt(start.after + 1),
              )
            : undefined,
        maxLagBytes: this.config.clientBufferBytes,
      },
      () => this.onDropped(),
    );
    this.sessions.set(session, res);
    this.perIp.add(ip);
    this.counters.opened++;
    this.startHeartbeat();
    res.once('close', () => {
      session.close();
      if (this.sessions.delete(session)) {
        this.counters.eventsSent += session.sent;
        this.perIp.remove(ip);
      }
      if (this.sessions.size === 0) {
        this.stopHeartbeat();
      }
    });
    session.start();
  }

  // A session that throws is ended (its client reconnects and resumes), and the others still
  // get the event; the hub logs and counts the exception.
  private publish(event: HubEvent): void {
    let failure: Error | undefined;
    this.sessions.forEach((res, session) => {
      try {
        session.onPublish(event);
      } catch (error) {
        failure ??= error instanceof Error ? error : new Error('a stream session threw');
        session.close();
        res.destroy();
      }
    });
    if (failure !== undefined) {
      throw failure;
    }
  }

  private clientIp(request: StreamRequest, req: IncomingMessage): string {
    return request.clientIp ?? req.socket.remoteAddress ?? 'unknown';
  }

  // The subscriber caps, checked before any byte of the stream.
  private admit(request: StreamRequest, req: IncomingMessage): void {
    if (this.sessions.size >= this.config.maxSubscribers) {
      this.counters.rejected++;
      throw new ServiceUnavailableException({
        message: `Too many subscribers: the limit is ${this.config.maxSubscribers} open streams`,
        code: 'TOO_MANY_SUBSCRIBERS',
      });
    }
    const cap = this.config.maxStreamsPerIp;
    if (cap > 0 && this.perIp.get(this.clientIp(request, req)) >= cap) {
      this.counters.rejected++;
      throw new HttpException(
        {
          message: `Too many streams from one address: the limit is ${cap} open streams`,
          code: 'TOO_MANY_STREAMS',
        },
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
  }

  private endAll(): void {
    this.sessions.forEach((res, session) => {
      session.close();
      res.end();
    });
  }

  private startHeartbeat(): void {
    this.heartbeat ??= setInterval(
      () => {
        const now = Date.now();
        this.sessions.forEach((_, session) => session.ping(this.config.heartbeatMs, now));
      },
      Math.ceil(this.config.heartbeatMs / 5),
    );
  }

  private stopHeartbeat(): void {
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
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

  // Where this client's events start.
  private startAfter(request: StreamRequest): ResumePoint {
    const { lastEventId, replay = true, hosts } = request;
    // Checked even without replay, so a malformed id is a 400 whatever else was asked.
    const resume =
      lastEventId === undefined
        ? undefined
        : this.hub.resolve(lastEventId, request.lastEventIdSource ?? 'Last-Event-ID');
    if (!replay) {
      return { after: this.hub.newestId };
    }
    // A new client starts with the latest sample, so its page is never blank for a tick.
    return resume ?? { after: this.hub.startForNewClient(hosts) };
  }

  // The meta frame's id is the position the stream starts after, so a client that reconnects
  // right after it resumes from exactly there. A client that is not resuming then gets the
  // alerts active now, as `alert` frames without an id: state rather than history, so they
  // leave its Last-Event-ID where meta put it.
  private prelude(
    request: StreamRequest,
    everyN: number,
    start: ResumePoint,
    afterEventId: string | undefined,
    alerts: boolean,
  ): string[] {
    const { hosts } = request;
    const active =
      alerts && request.lastEventId === undefined
        ? this.hub.activeAlerts.filter(
            (event) => event.id <= start.after && (!hosts || hosts.has(event.host)),
          )
        : [];
    return [
      this.metaFrame(request, everyN, afterEventId, alerts),
      ...active.map((event) => formatSse({ event: 'alert', data: event.frame().data })),
    ];
  }

  private metaFrame(
    request: StreamRequest,
    everyN: number,
    afterEventId: string | undefined,
    alerts: boolean,
  ): string {
    return formatSse({
      event: 'meta',
      id: afterEventId,
      retry: RETRY_MS,
      data: JSON.stringify({
        host: this.sampler.hostName,
        intervalMs: this.sampler.intervalMs,
        every: everyN * this.sampler.intervalMs,
        heartbeatMs: this.config.heartbeatMs,
        groups: request.groups,
        hosts: request.hosts ? [...request.hosts] : null,
        replay: request.replay ?? true,
        alerts,
        retained: this.hub.retained ?? null,
      }),
    });
  }
}
