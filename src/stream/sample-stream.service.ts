import { Inject, Injectable, type MessageEvent } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import {
  type Observable,
  concat,
  defer,
  filter,
  finalize,
  interval,
  map,
  merge,
  of,
  share,
  takeUntil,
  tap,
} from 'rxjs';
import { samplerConfig } from '../config/sampler.config.js';
import { streamConfig } from '../config/stream.config.js';
import type { SampleProjection } from './sample-projection.js';
import { SampleHubService } from './sample-hub.service.js';

/** Reconnection delay suggested to EventSource clients in the first frame. */
export const RETRY_MS = 2000;

const PING: MessageEvent = { comment: 'ping' };

/** What a stream tells its client about itself in the `meta` frame. */
export interface StreamMeta {
  groups: readonly string[];
}

/**
 * Opens per-connection views of the hub. A connection holds only a cursor-free subscription to
 * the hub and a timestamp for heartbeats; frames come pre-serialized from the hub.
 */
@Injectable()
export class SampleStreamService {
  private openStreams = 0;
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
    return this.openStreams;
  }

  /**
   * A stream of `projection` frames: optionally a `meta` frame first, then the latest sample
   * (so a page is never blank for a tick), then every new one, with `: ping` comments whenever
   * nothing else went out for the heartbeat interval.
   */
  open(projection: SampleProjection, meta?: StreamMeta): Observable<MessageEvent> {
    return defer(() => {
      this.openStreams++;
      let lastSentAt = Date.now();
      const latest = this.hub.latest;
      const first: MessageEvent[] = [];
      if (meta) {
        first.push(this.metaFrame(meta, latest ? latest.id - 1 : this.hub.newestId));
      }
      if (latest) {
        first.push(latest.frame(projection));
      }
      const frames$ = concat(
        of(...first),
        this.hub.events.pipe(map((event) => event.frame(projection))),
      );
      const pings$ = this.heartbeatCheck$.pipe(
        filter(() => Date.now() - lastSentAt >= this.config.heartbeatMs),
        map(() => PING),
      );
      return merge(frames$, pings$).pipe(
        tap(() => (lastSentAt = Date.now())),
        takeUntil(this.hub.stopped),
        finalize(() => this.openStreams--),
      );
    });
  }

  // The meta frame carries the id of the position just before the first frame that follows it:
  // Nest would otherwise number it itself, and a client reconnecting right after it resumes from
  // exactly where it was.
  private metaFrame(meta: StreamMeta, position: number): MessageEvent {
    return {
      type: 'meta',
      id: String(position),
      retry: RETRY_MS,
      data: JSON.stringify({
        host: this.sampler.hostName,
        intervalMs: this.sampler.intervalMs,
        heartbeatMs: this.config.heartbeatMs,
        groups: meta.groups,
      }),
    };
  }
}
