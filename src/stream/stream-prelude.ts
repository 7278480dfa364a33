import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { samplerConfig } from '../config/sampler.config.js';
import { streamConfig } from '../config/stream.config.js';
import { SampleHubService } from '../hub/sample-hub.service.js';
import { formatSse } from '../hub/sse-format.js';
import type { StreamStartPoint } from './stream-start.js';
import type { StreamRequest } from './stream-request.js';

/** Reconnection delay suggested to EventSource clients in the first frame. */
export const RETRY_MS = 2000;

/**
 * The frames a stream opens with, before any event: `meta` (the effective settings and the
 * retained id range), then for a client that is not resuming the alerts active now.
 */
@Injectable()
export class StreamPrelude {
  constructor(
    private readonly hub: SampleHubService,
    @Inject(samplerConfig.KEY) private readonly sampler: ConfigType<typeof samplerConfig>,
    @Inject(streamConfig.KEY) private readonly config: ConfigType<typeof streamConfig>,
  ) {}

  // The meta frame's id is the position the stream starts after, so a client that reconnects
  // right after it resumes from exactly there. A client that is not resuming then gets the
  // alerts active now, as `alert` frames without an id: state rather than history, so they
  // leave its Last-Event-ID where meta put it.
  frames(request: StreamRequest, start: StreamStartPoint): string[] {
    const { hosts } = request;
    const alerts = request.alerts ?? true;
    const active =
      alerts && request.lastEventId === undefined
        ? this.hub.activeAlerts.filter(
            (event) => event.id <= start.after && (!hosts || hosts.has(event.host)),
          )
        : [];
    return [
      this.metaFrame(request, start, alerts),
      ...active.map((event) => formatSse({ event: 'alert', data: event.frame().data })),
    ];
  }

  private metaFrame(request: StreamRequest, start: StreamStartPoint, alerts: boolean): string {
    return formatSse({
      event: 'meta',
      id: start.afterEventId,
      retry: RETRY_MS,
      data: JSON.stringify({
        host: this.sampler.hostName,
        intervalMs: this.sampler.intervalMs,
        every: start.everyN * this.sampler.intervalMs,
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
