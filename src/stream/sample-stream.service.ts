import type { IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { streamConfig } from '../config/stream.config.js';
import { SampleHubService } from '../hub/sample-hub.service.js';
import { StreamAdmission } from './stream-admission.js';
import { StreamChannel } from './stream-channel.js';
import { StreamPrelude } from './stream-prelude.js';
import type { StreamRequest, StreamStats } from './stream-request.js';
import { releaseRequestState } from './request-state.js';
import { StreamSession } from './stream-session.js';
import { StreamStart } from './stream-start.js';

export { RETRY_MS } from './stream-prelude.js';

const SSE_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-store, no-transform',
  Connection: 'keep-alive',
  // nginx: do not buffer the stream.
  'X-Accel-Buffering': 'no',
};

/**
 * Serves subscriber streams from the hub: what the stream controllers call. A request is
 * admitted and resolved first, so the subscriber caps or a bad resume are a 503/429/400 before
 * any byte of stream. Then it writes the HTTP head and hands a StreamSession to the channel,
 * which writes the hub's pre-serialized frames straight to the socket: per subscriber and tick
 * that is one write() and no allocation, with no per-request pipeline in between.
 */
@Injectable()
export class SampleStreamService {
  constructor(
    private readonly hub: SampleHubService,
    private readonly channel: StreamChannel,
    private readonly admission: StreamAdmission,
    private readonly starts: StreamStart,
    private readonly preludes: StreamPrelude,
    @Inject(streamConfig.KEY) private readonly config: ConfigType<typeof streamConfig>,
  ) {}

  /** Streams open right now. */
  get subscribers(): number {
    return this.channel.size;
  }

  get stats(): Readonly<StreamStats> {
    return { ...this.channel.stats, open: this.channel.size, rejected: this.admission.rejected };
  }

  /**
   * Answers `request` with an event stream on `res`: meta (unless the demo), a gap frame if the
   * resume point is gone, the retained events after it (or the latest sample for a new client),
   * then live events, with `: ping` comments when nothing else went out for the heartbeat
   * interval. Throws 400/429/503 exceptions before anything is written.
   */
  open(request: StreamRequest, req: IncomingMessage, res: ServerResponse): void {
    const address = request.clientIp ?? req.socket.remoteAddress ?? 'unknown';
    this.admission.admit(address, this.channel.size);
    const start = this.starts.resolve(request);
    res.writeHead(200, SSE_HEADERS);
    if (req.method === 'HEAD' || res.destroyed) {
      res.end();
      return;
    }
    req.socket.setNoDelay(true);
    req.socket.setKeepAlive(true);
    req.socket.setTimeout(0);
    // Flushes the headers now, not with the first event.
    res.write('\n');
    releaseRequestState(req, res);
    const session = new StreamSession(
      this.hub,
      res,
      {
        ...start,
        projection: request.projection,
        hosts: request.hosts,
        alerts: request.alerts ?? true,
        // The demo's stream (no meta frame) keeps to its one kind of message.
        notices: request.groups !== undefined,
        prelude: request.groups ? this.preludes.frames(request, start) : [],
        maxLagBytes: this.config.clientBufferBytes,
      },
      this.channel.onDropped,
    );
    this.admission.enter(address);
    this.channel.register(session, res, () => this.admission.leave(address));
    session.start();
  }
}
