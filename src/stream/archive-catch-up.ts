import { Logger } from '@nestjs/common';
import type { EventArchive } from '../hub/event-archive.js';
import { HostDirectory } from '../hub/host-directory.js';
import type { HubEvent } from '../hub/hub-event.js';
import { remoteHubEvent } from '../hub/remote-event.js';
import { errorMessage } from '../common/error-message.js';

// Events read from the archive at a time at most: a resume from far back costs a few bounded
// reads, each written out (at the pace the client's socket drains) before the next.
export const ARCHIVE_PAGE = 500;

/** A page of a client's catch-up from the archive. */
export interface CatchUpPage {
  events: HubEvent[];
  /** Set when events before these are gone (trimmed): where the client continues instead. */
  gapTo?: string | null;
}

/**
 * A resuming client's way from its Last-Event-ID to the oldest event the hub holds, through the
 * archive (a gateway's Redis Stream), a page at a time.
 */
export class ArchiveCatchUp {
  private static readonly logger = new Logger(ArchiveCatchUp.name);
  private after: string;
  private done = false;
  // Counts samples per host, so `every=` keeps each host's cadence through the catch-up too.
  private readonly hosts = new HostDirectory();

  constructor(
    private readonly archive: EventArchive,
    from: string,
    /** The oldest event the hub held when the client came: where the catch-up ends. */
    private until: string | undefined,
  ) {
    this.after = from;
  }

  /**
   * Reads on up to `until`: the hub's memory moved on while the archive was read, and what it
   * dropped meanwhile is still in the archive.
   */
  extend(until: string): void {
    this.until = until;
    this.done = false;
  }

  /**
   * The next page of up to `limit` events; undefined once the hub's memory is reached. Throws if
   * Redis is away.
   */
  async next(limit = ARCHIVE_PAGE): Promise<CatchUpPage | undefined> {
    if (this.done) {
      return undefined;
    }
    try {
      const page = await this.archive.readAfter(this.after, this.until, limit);
      const events = page.events.map((event) =>
        // Outside the hub's sequence (position -1): an event of its own, read from the archive.
        remoteHubEvent(
          event,
          -1,
          event.kind === 'sample' ? this.hosts.nextIndex(event.sample.host) : 0,
        ),
      );
      this.after = page.lastId ?? this.after;
      this.done = page.exhausted;
      return page.missingUntil === undefined ? { events } : { events, gapTo: page.missingUntil };
    } catch (error) {
      ArchiveCatchUp.logger.warn(
        `A client resuming after ${this.after} gets a gap: the archive is unreadable ` +
          `(${errorMessage(error)})`,
      );
      throw error;
    }
  }
}
