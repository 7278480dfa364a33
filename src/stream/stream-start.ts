import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { DomainError } from '../common/domain-error.js';
import { ErrorCode } from '../common/error-code.js';
import { samplerConfig } from '../config/sampler.config.js';
import { ArchivePort } from '../hub/archive-port.js';
import type { EventId } from '../hub/event-id.js';
import type { ResumePoint } from '../hub/resume-points.js';
import { SampleHubService } from '../hub/sample-hub.service.js';
import { ArchiveCatchUp } from './archive-catch-up.js';
import type { StreamRequest } from './stream-request.js';

/** Where a client's stream starts, and at which cadence. */
export interface StreamStartPoint {
  /** Deliver every n-th sample. */
  everyN: number;
  /** The hub position the stream continues after. */
  after: number;
  /** The id, as the client knows it, of the event at `after`: meta's id, a gap frame's `from`. */
  afterEventId?: string;
  /** Events up to this id are already the client's (it comes from a replica ahead). */
  skipThrough?: EventId;
  /** Set when the client resumes from before the hub's memory: read the archive first. */
  catchUp?: ArchiveCatchUp;
}

/**
 * Turns what a client asked for (Last-Event-ID or lastEventId=, replay=, every=, host=) into
 * where its stream starts. Throws INVALID_QUERY for a bad id or cadence, before any byte is written.
 */
@Injectable()
export class StreamStart {
  constructor(
    private readonly hub: SampleHubService,
    private readonly archives: ArchivePort,
    @Inject(samplerConfig.KEY) private readonly sampler: ConfigType<typeof samplerConfig>,
  ) {}

  resolve(request: StreamRequest): StreamStartPoint {
    const everyN = this.everyN(request.every);
    const start = this.startAfter(request);
    const afterEventId =
      (request.replay === false ? undefined : request.lastEventId) ??
      this.hub.eventIdAt(start.after);
    const archive = this.archives.current;
    return {
      everyN,
      after: start.after,
      afterEventId,
      skipThrough: start.skipThrough,
      // A client resuming from before the hub's memory catches up from the archive first.
      catchUp:
        start.archiveAfter !== undefined && archive
          ? new ArchiveCatchUp(archive, start.archiveAfter, this.hub.eventIdAt(start.after + 1))
          : undefined,
    };
  }

  private everyN(every: number | undefined): number {
    if (every === undefined) {
      return 1;
    }
    const { intervalMs } = this.sampler;
    if (every % intervalMs !== 0) {
      throw new DomainError(
        ErrorCode.INVALID_QUERY,
        `every must be a multiple of the sampling interval (${intervalMs} ms), got ${every}`,
      );
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
}
