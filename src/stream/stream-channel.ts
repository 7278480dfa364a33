import type { ServerResponse } from 'node:http';
import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Subscription } from 'rxjs';
import { streamConfig } from '../config/stream.config.js';
import type { HubEvent } from '../hub/hub-event.js';
import { SampleHubService } from '../hub/sample-hub.service.js';
import type { StreamSession } from './stream-session.js';

/** What the channel counts of the streams' life. */
export interface ChannelStats {
  opened: number;
  dropped: number;
  /** Event frames sent to subscribers since startup, by open streams too. */
  eventsSent: number;
}

/**
 * Every open stream, as better-sse's `Channel` holds its sessions: one subscription to the hub
 * for all of them, each event handed to every session, one heartbeat timer (running only while
 * some stream is open) for every connection, and every stream ended at shutdown.
 */
@Injectable()
export class StreamChannel implements OnModuleDestroy {
  private readonly logger = new Logger(StreamChannel.name);
  private readonly sessions = new Map<StreamSession, ServerResponse>();
  private readonly subscription: Subscription;
  private readonly notices: Subscription;
  private heartbeat: NodeJS.Timeout | undefined;
  private opened = 0;
  private dropped = 0;
  private sentByClosed = 0;

  constructor(
    hub: SampleHubService,
    @Inject(streamConfig.KEY) private readonly config: ConfigType<typeof streamConfig>,
  ) {
    this.subscription = hub.subscribe(
      'stream fan-out',
      (event) => this.publish(event),
      () => this.endAll(),
    );
    // Written as they are to every stream: one frame for all, serialized by the hub.
    this.notices = hub.hostNotices.subscribe(({ sse }) =>
      this.sessions.forEach((_, session) => session.notify(sse)),
    );
  }

  /** Streams open right now. */
  get size(): number {
    return this.sessions.size;
  }

  get stats(): ChannelStats {
    let sentByOpen = 0;
    this.sessions.forEach((_, session) => (sentByOpen += session.sent));
    return {
      opened: this.opened,
      dropped: this.dropped,
      eventsSent: this.sentByClosed + sentByOpen,
    };
  }

  /** For a session to call when it disconnects its client for falling too far behind. */
  readonly onDropped = (): void => {
    this.dropped++;
    this.logger.warn(
      `Disconnected a subscriber that fell more than ${this.config.clientBufferBytes} bytes behind`,
    );
  };

  /**
   * Takes `session`, writing to `res`, until `res` closes; then forgets it and calls `onClose`.
   * The session starts with the next call to {@link StreamSession.start}.
   */
  register(session: StreamSession, res: ServerResponse, onClose: () => void): void {
    this.sessions.set(session, res);
    this.opened++;
    this.startHeartbeat();
    res.once('close', () => {
      session.close();
      if (this.sessions.delete(session)) {
        this.sentByClosed += session.sent;
        onClose();
      }
      if (this.sessions.size === 0) {
        this.stopHeartbeat();
      }
    });
  }

  onModuleDestroy(): void {
    this.subscription.unsubscribe();
    this.notices.unsubscribe();
    this.endAll();
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
}
