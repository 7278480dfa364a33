import {
  compareEventIds,
  eventIdValue,
  parseEventId,
  previousEventId,
  type EventId,
} from '../hub/event-id.js';
import { ARCHIVE_PAGE, type ArchiveCatchUp } from './archive-catch-up.js';
import type { HubEvent } from '../hub/hub-event.js';
import type { SampleHubService } from '../hub/sample-hub.service.js';
import { SampleEvent } from '../hub/sample-event.js';
import type { SampleProjection } from '../hub/sample-projection.js';
import { formatSse } from '../hub/sse-format.js';

/** The part of the HTTP response a session writes to and watches for backpressure. */
export interface SessionOutput {
  readonly writableNeedDrain: boolean;
  write(chunk: string | Buffer): boolean;
  once(event: 'drain', listener: () => void): unknown;
  off(event: 'drain', listener: () => void): unknown;
  destroy(): void;
}

export interface SessionOptions {
  projection: SampleProjection;
  /** Deliver every n-th sample (by sample index). */
  everyN: number;
  /** Deliver alert events too. */
  alerts: boolean;
  /** Deliver only these hosts' events; every host's when undefined. */
  hosts?: ReadonlySet<string>;
  /** Deliver events at hub positions above this one. */
  after: number;
  /** The id, as the client knows it, of the event at `after`: where a gap frame says it was. */
  afterEventId?: string;
  /** Skip events up to this id: the client has them already (from a replica ahead of this one). */
  skipThrough?: EventId;
  /** Frames written before any event (meta, the archive's gap frame), already formatted. */
  prelude: string[];
  /** Where to read what came before the hub's memory (a gateway's Redis Stream) first. */
  catchUp?: ArchiveCatchUp;
  /** Unsent bytes the client may fall behind by before it is disconnected. */
  maxLagBytes: number;
}

// Catch-up hands over about this much before yielding, so one client replaying its history
// neither floods its socket buffer nor holds the event loop.
const SLICE_BYTES = 64 * 1024;
const PING = formatSse({ comment: 'ping' });
const PASSED_OVER_BYTES = 256;
// What an archived event is taken to weigh before the archive has given any: sizes the first page.
const FIRST_PAGE_EVENT_BYTES = 4096;

/**
 * One subscriber's position in the hub's event sequence. While the client keeps up, each event
 * goes straight to its socket as one write of text serialized once for everybody; when its
 * response backs up, or it resumes from an old id, it catches up from the hub's shared ring at
 * the pace its socket drains. A client that falls behind holds no frames of its own, only a
 * cursor: past `maxLagBytes` of unsent events it is disconnected.
 */
export class StreamSession {
  private cursor: number;
  private lastEventId: string | undefined;
  private skipThrough: EventId | undefined;
  private live = false;
  // Reading the archive: events the hub publishes meanwhile wait in its ring.
  private catchingUp = false;
  private lagBytes = 0;
  // The unwritten part of the archive page in hand: this client's alone, so it counts too.
  private heldBytes = 0;
  // What the archive pages gave so far (bytes of frames to send, events): sizes the next page.
  private archiveBytes = 0;
  private archiveEvents = 0;
  // Set while the archive catch-up waits for the socket to drain or for its next slice.
  private resumeCatchUp: (() => void) | undefined;
  private waitingForDrain = false;
  private immediate: NodeJS.Immediate | undefined;
  private closed = false;
  lastSentAt = Date.now();
  /** Event frames sent (comments not counted). */
  sent = 0;

  constructor(
    private readonly hub: SampleHubService,
    private readonly output: SessionOutput,
    private readonly options: SessionOptions,
    private readonly onDropped: () => void,
  ) {
    this.cursor = options.after;
    this.lastEventId = options.afterEventId;
    this.skipThrough = options.skipThrough;
  }

  start(): void {
    this.options.prelude.forEach((frame) => this.write(frame, true));
    if (this.options.catchUp) {
      this.catchingUp = true;
      void this.readArchive(this.options.catchUp);
    } else {
      this.pump();
    }
  }

  /** Called for every event the hub publishes. */
  onPublish(event: HubEvent): void {
    if (this.closed || event.id <= this.cursor) {
      return;
    }
    if (this.live && !this.output.writableNeedDrain) {
      this.deliver(event);
      return;
    }
    // Behind: the event waits in the shared ring; only its size counts against this client.
    this.live = false;
    if (this.accepts(event)) {
      this.lagBytes += event.frame(this.options.projection).sse.length;
    }
    if (this.overBound()) {
      this.drop();
      return;
    }
    this.schedulePump();
  }

  // Writes what the archive has, page by page in slices at the pace the socket drains, then
  // carries on from the ring. If Redis is away, the client is told of the gap instead.
  private async readArchive(catchUp: ArchiveCatchUp): Promise<void> {
    try {
      while (!this.closed) {
        // No page is read ahead of a socket that has not taken the last one.
        if (this.output.writableNeedDrain && !(await this.pause())) {
          break;
        }
        const page = await catchUp.next(this.pageLimit());
        if (this.closed) {
          break;
        }
        if (!page) {
          // The ring may have dropped events while the archive was read: read those too.
          const next = this.hub.next(this.cursor);
          if (!next || next.id === this.cursor + 1) {
            break;
          }
          catchUp.extend(next.eventId);
          this.cursor = next.id - 1;
          continue;
        }
        if (page.gapTo !== undefined) {
          this.write(gapFrame(this.lastEventId, page.gapTo ?? undefined), true);
        }
        await this.writePage(page.events);
      }
    } catch {
      this.write(gapFrame(this.lastEventId, this.hub.next(this.cursor)?.eventId), true);
    }
    // The ring may hold some of what the archive gave (it was empty, or still filling, when
    // the client came): those are not sent twice.
    const last = this.lastEventId === undefined ? undefined : parseEventId(this.lastEventId);
    if (last && (!this.skipThrough || compareEventIds(last, this.skipThrough) > 0)) {
      this.skipThrough = last;
    }
    this.catchingUp = false;
    this.pump();
  }

  // Writes a page of the archive a slice at a time, yielding to the socket between slices. The
  // frames are serialized once, up front, so what is not yet written is known and counted.
  private async writePage(events: readonly HubEvent[]): Promise<void> {
    const frames = events.map((event) =>
      // Pure: events at or before skipThrough are out whether it is cleared on the way or not.
      this.accepts(event) ? event.frame(this.options.projection).sse : undefined,
    );
    this.heldBytes = frames.reduce((sum, frame) => sum + (frame?.length ?? 0), 0);
    this.archiveBytes += this.heldBytes;
    this.archiveEvents += events.length;
    let budget = SLICE_BYTES;
    for (const [index, event] of events.entries()) {
      if ((budget <= 0 || this.output.writableNeedDrain) && !(await this.pause())) {
        return;
      }
      if (budget <= 0) {
        budget = SLICE_BYTES;
      }
      this.passOver(event);
      this.lastEventId = event.eventId;
      const frame = frames[index];
      if (frame) {
        this.write(frame, true);
        this.heldBytes -= frame.length;
        this.lagBytes = Math.max(0, this.lagBytes - frame.length);
      }
      budget -= Math.max(frame?.length ?? 0, PASSED_OVER_BYTES);
    }
  }

  /**
   * Lets the socket drain (or, when it is not backed up, other work run) before the catch-up
   * goes on. False when the session ended meanwhile, or is dropped here: a client that does not
   * drain while what it is owed passes the bound.
   */
  private async pause(): Promise<boolean> {
    if (this.output.writableNeedDrain && this.overBound()) {
      this.drop();
      return false;
    }
    await new Promise<void>((resolve) => {
      this.resumeCatchUp = resolve;
      if (this.output.writableNeedDrain) {
        this.waitForDrain();
      } else {
        this.immediate ??= setImmediate(this.onImmediate);
      }
    });
    return !this.closed;
  }

  // Pages fit in half the bound by the size of what the archive gave so far: a page in hand
  // counts against the bound, and must not take a client that keeps reading past it.
  private pageLimit(): number {
    const perEvent =
      this.archiveEvents > 0 ? this.archiveBytes / this.archiveEvents : FIRST_PAGE_EVENT_BYTES;
    const fits = Math.floor(this.options.maxLagBytes / 2 / Math.max(perEvent, 1));
    return Math.max(1, Math.min(ARCHIVE_PAGE, fits));
  }

  private overBound(): boolean {
    return this.lagBytes + this.heldBytes > this.options.maxLagBytes;
  }

  /** Sends a heartbeat comment if the client is idle and keeping up. */
  ping(idleMs: number, now: number): void {
    if (this.live && !this.output.writableNeedDrain && now - this.lastSentAt >= idleMs) {
      this.write(PING, false);
    }
  }

  close(): void {
    this.closed = true;
    if (this.immediate) {
      clearImmediate(this.immediate);
      this.immediate = undefined;
    }
    if (this.waitingForDrain) {
      this.output.off('drain', this.onDrain);
      this.waitingForDrain = false;
    }
    this.heldBytes = 0;
    // A catch-up waiting for the socket ends now rather than never: nothing is left pending.
    this.wake();
  }

  private readonly onDrain = (): void => {
    this.waitingForDrain = false;
    this.wake();
  };

  private readonly onImmediate = (): void => {
    this.immediate = undefined;
    this.wake();
  };

  // Goes on with whatever was waiting: the archive catch-up if it is, else the ring.
  private wake(): void {
    const resume = this.resumeCatchUp;
    if (resume) {
      this.resumeCatchUp = undefined;
      resume();
    } else {
      this.pump();
    }
  }

  private readonly pump = (): void => {
    if (this.catchingUp) {
      return;
    }
    let budget = SLICE_BYTES;
    while (!this.closed) {
      if (this.output.writableNeedDrain) {
        this.waitForDrain();
        return;
      }
      const next = this.hub.next(this.cursor);
      if (!next) {
        this.live = true;
        this.lagBytes = 0;
        return;
      }
      if (next.id > this.cursor + 1) {
        // What the client asked for has left the ring: say so, then carry on from the oldest.
        this.write(gapFrame(this.lastEventId, next.eventId), true);
      }
      const sent = this.deliver(next);
      this.lagBytes = Math.max(0, this.lagBytes - sent);
      // Events a filter passes over cost something too, or one client with host= could scan
      // the whole ring in one go.
      budget -= Math.max(sent, PASSED_OVER_BYTES);
      if (budget <= 0) {
        this.schedulePump();
        return;
      }
    }
  };

  private schedulePump(): void {
    if (this.output.writableNeedDrain) {
      this.waitForDrain();
    } else if (!this.immediate && !this.waitingForDrain) {
      this.immediate = setImmediate(this.onImmediate);
    }
  }

  private waitForDrain(): void {
    if (!this.waitingForDrain) {
      this.waitingForDrain = true;
      this.output.once('drain', this.onDrain);
    }
  }

  /**
   * Whether the client takes `event`. Free of side effects: it is also asked about events that
   * are only counted, not sent (the lag of a client behind), and ahead of ones still to send.
   */
  private accepts(event: HubEvent): boolean {
    // Lost events concern every client, whatever it selects (a gateway's outage: GapEvent).
    if (event.kind === 'gap') {
      return true;
    }

    if (this.options.hosts && !this.options.hosts.has(event.host)) {
      return false;
    }
    if (this.skipThrough && compareEventIds(parseEventId(event.eventId)!, this.skipThrough) <= 0) {
      return false;
    }
    return event instanceof SampleEvent
      ? event.sampleIndex % this.options.everyN === 0
      : this.options.alerts;
  }

  /** Writes `event` if it passes the filter; returns the bytes sent. */
  private deliver(event: HubEvent): number {
    this.cursor = event.id;
    this.passOver(event);
    this.lastEventId = event.eventId;
    if (!this.accepts(event)) {
      return 0;
    }
    const { sse } = event.frame(this.options.projection);
    this.write(sse, true);
    return sse.length;
  }

  // Events pass in id order: once one beyond skipThrough has, so will every later one.
  private passOver(event: HubEvent): void {
    if (this.skipThrough && compareEventIds(parseEventId(event.eventId)!, this.skipThrough) > 0) {
      this.skipThrough = undefined;
    }
  }

  private write(text: string | Buffer, isEvent: boolean): void {
    // A catch-up read that ends after shutdown ended the response writes nothing.
    if (this.closed) {
      return;
    }
    this.lastSentAt = Date.now();
    if (isEvent) {
      this.sent++;
    }
    this.output.write(text);
  }

  private drop(): void {
    this.close();
    this.onDropped();
    this.output.destroy();
  }
}

/** Says that the events after `from` and before `to` are gone; a resume from it starts at `to`. */
function gapFrame(from: string | undefined, to: string | undefined): string {
  const data = JSON.stringify({
    from: from === undefined ? null : eventIdValue(from),
    to: to === undefined ? null : eventIdValue(to),
  });
  return formatSse({ event: 'gap', id: to === undefined ? from : previousEventId(to), data });
}
