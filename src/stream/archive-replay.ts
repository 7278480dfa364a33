import type { HubEvent } from '../hub/hub-event.js';
import type { SampleProjection } from '../hub/sample-projection.js';
import { ARCHIVE_PAGE, type ArchiveCatchUp } from './archive-catch-up.js';
import type { SessionFilter } from './session-filter.js';
import type { SessionOutput } from './session-output.js';

/** The session an archive replay writes for, as the replay sees it. */
export interface ReplayTarget {
  /** Whether the session ended (closed, or dropped). */
  closed(): boolean;
  /** The session's position in the hub's sequence. */
  cursor(): number;
  /** The id of the last event the client was given or passed over. */
  lastEventId(): string | undefined;
  /** The first event the ring holds after the cursor. */
  nextInRing(): HubEvent | undefined;
  /** Moves the cursor back to `position`: the ring is read on from there. */
  rewind(position: number): void;
  /** Writes a gap frame from the last event to `to`. */
  sendGap(to: string | undefined): void;
  /** Moves the client past an archived `event`, writing its `frame` unless filtered out. */
  sendArchived(event: HubEvent, frame: Buffer | undefined): void;
  /** Whether the client is owed more than its bound, the replay's page in hand included. */
  overBound(): boolean;
  /** Disconnects the client for falling too far behind. */
  drop(): void;
  /** Wakes the replay when the socket drained or, when it is not backed up, after other work. */
  yield(): void;
  /** The archive is read: the session goes on from the ring. */
  replayed(): void;
}

// A page is handed over about this much at a time, so one client replaying its history neither
// floods its socket buffer nor holds the event loop.
export const SLICE_BYTES = 64 * 1024;
export const PASSED_OVER_BYTES = 256;
// What an archived event is taken to weigh before the archive has given any: sizes the first page.
const FIRST_PAGE_EVENT_BYTES = 4096;

/**
 * A resuming client's catch-up from the archive (a gateway's Redis Stream), written to its
 * socket page by page in slices, at the pace the socket drains, before the session goes on from
 * the hub's ring. If Redis is away, the client is told of the gap instead.
 */
export class ArchiveReplay {
  // The unwritten part of the archive page in hand: this client's alone, so it counts too.
  private held = 0;
  // What the archive pages gave so far (bytes of frames to send, events): sizes the next page.
  private archiveBytes = 0;
  private archiveEvents = 0;
  // Set while the replay waits for the socket to drain or for its next slice.
  private resume: (() => void) | undefined;

  constructor(
    private readonly catchUp: ArchiveCatchUp,
    private readonly session: ReplayTarget,
    private readonly output: SessionOutput,
    private readonly filter: SessionFilter,
    private readonly options: { projection: SampleProjection; maxLagBytes: number },
  ) {}

  /** Bytes of the page in hand not written yet. */
  get heldBytes(): number {
    return this.held;
  }

  async run(): Promise<void> {
    try {
      while (!this.session.closed()) {
        // No page is read ahead of a socket that has not taken the last one.
        if (this.output.writableNeedDrain && !(await this.pause())) {
          break;
        }
        const page = await this.catchUp.next(this.pageLimit());
        if (this.session.closed()) {
          break;
        }
        if (!page) {
          // The ring may have dropped events while the archive was read: read those too.
          const next = this.session.nextInRing();
          if (!next || next.id === this.session.cursor() + 1) {
            break;
          }
          this.catchUp.extend(next.eventId);
          this.session.rewind(next.id - 1);
          continue;
        }
        if (page.gapTo !== undefined) {
          this.session.sendGap(page.gapTo ?? undefined);
        }
        await this.writePage(page.events);
      }
    } catch {
      this.session.sendGap(this.session.nextInRing()?.eventId);
    }
    // The ring may hold some of what the archive gave (it was empty, or still filling, when
    // the client came): those are not sent twice.
    this.filter.skipThroughAtLeast(this.session.lastEventId());
    this.session.replayed();
  }

  /** Goes on with the replay if it is waiting; false if it is not. */
  wake(): boolean {
    const resume = this.resume;
    if (!resume) {
      return false;
    }
    this.resume = undefined;
    resume();
    return true;
  }

  /** The session closed: nothing in hand is owed any more. */
  close(): void {
    this.held = 0;
  }

  // Writes a page of the archive a slice at a time, yielding to the socket between slices. The
  // frames are serialized once, up front, so what is not yet written is known and counted.
  private async writePage(events: readonly HubEvent[]): Promise<void> {
    const frames = events.map((event) =>
      // Pure: events at or before skipThrough are out whether it is cleared on the way or not.
      this.filter.accepts(event) ? event.frame(this.options.projection).sse : undefined,
    );
    this.held = frames.reduce((sum, frame) => sum + (frame?.length ?? 0), 0);
    this.archiveBytes += this.held;
    this.archiveEvents += events.length;
    let budget = SLICE_BYTES;
    for (const [index, event] of events.entries()) {
      if ((budget <= 0 || this.output.writableNeedDrain) && !(await this.pause())) {
        return;
      }
      if (budget <= 0) {
        budget = SLICE_BYTES;
      }
      const frame = frames[index];
      this.session.sendArchived(event, frame);
      this.held -= frame?.length ?? 0;
      budget -= Math.max(frame?.length ?? 0, PASSED_OVER_BYTES);
    }
  }

  /**
   * Lets the socket drain (or, when it is not backed up, other work run) before the replay goes
   * on. False when the session ended meanwhile, or is dropped here: a client that does not
   * drain while what it is owed passes the bound.
   */
  private async pause(): Promise<boolean> {
    if (this.output.writableNeedDrain && this.session.overBound()) {
      this.session.drop();
      return false;
    }
    await new Promise<void>((resolve) => {
      this.resume = resolve;
      this.session.yield();
    });
    return !this.session.closed();
  }

  // Pages fit in half the bound by the size of what the archive gave so far: a page in hand
  // counts against the bound, and must not take a client that keeps reading past it.
  private pageLimit(): number {
    const perEvent =
      this.archiveEvents > 0 ? this.archiveBytes / this.archiveEvents : FIRST_PAGE_EVENT_BYTES;
    const fits = Math.floor(this.options.maxLagBytes / 2 / Math.max(perEvent, 1));
    return Math.max(1, Math.min(ARCHIVE_PAGE, fits));
  }
}
