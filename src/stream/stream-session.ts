import type { EventCursor } from '../hub/event-cursor.js';
import type { EventId } from '../hub/event-id.js';
import type { HubEvent } from '../hub/hub-event.js';
import type { SampleProjection } from '../hub/sample-projection.js';
import { formatSse } from '../hub/sse-format.js';
import type { ArchiveCatchUp } from './archive-catch-up.js';
import {
  ArchiveReplay,
  PASSED_OVER_BYTES,
  SLICE_BYTES,
  type ReplayTarget,
} from './archive-replay.js';
import { gapFrame } from './gap-frame.js';
import { OutputPacing } from './output-pacing.js';
import { SessionFilter } from './session-filter.js';
import type { SessionOutput } from './session-output.js';

export interface SessionOptions {
  projection: SampleProjection;
  /** Deliver every n-th sample (by sample index). */
  everyN: number;
  /** Deliver alert events too. */
  alerts: boolean;
  /** Deliver `hosts` notices (not the demo's stream). */
  notices: boolean;
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

const PING = formatSse({ comment: 'ping' });

/**
 * One subscriber's position in the hub's event sequence. While the client keeps up, each event
 * goes straight to its socket as one write of text serialized once for everybody; when its
 * response backs up, or it resumes from an old id, it catches up from the hub's shared ring at
 * the pace its socket drains. A client that falls behind holds no frames of its own, only a
 * cursor: past `maxLagBytes` of unsent events it is disconnected. It needs of the hub only a
 * cursor through the retained events.
 */
export class StreamSession {
  private cursor: number;
  private lastEventId: string | undefined;
  private readonly filter: SessionFilter;
  private readonly pacing: OutputPacing;
  private live = false;
  private lagBytes = 0;
  // Set while reading the archive: events the hub publishes meanwhile wait in its ring.
  private replay: ArchiveReplay | undefined;
  private closed = false;
  // The newest `hosts` notice, held while the client is behind: only the latest matters.
  private pendingNotice: Buffer | undefined;
  lastSentAt = Date.now();
  /** Event frames sent (comments not counted). */
  sent = 0;

  constructor(
    private readonly events: EventCursor,
    private readonly output: SessionOutput,
    private readonly options: SessionOptions,
    private readonly onDropped: () => void,
  ) {
    this.cursor = options.after;
    this.lastEventId = options.afterEventId;
    this.filter = new SessionFilter(options);
    this.pacing = new OutputPacing(output, () => this.wake());
  }

  start(): void {
    this.options.prelude.forEach((frame) => this.write(frame, true));
    const { catchUp } = this.options;
    if (catchUp) {
      this.replay = new ArchiveReplay(
        catchUp,
        this.replayTarget(),
        this.output,
        this.filter,
        this.options,
      );
      void this.replay.run();
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
    if (this.filter.accepts(event)) {
      this.lagBytes += event.frame(this.options.projection).sse.length;
    }
    if (this.overBound()) {
      this.drop();
      return;
    }
    this.pacing.schedule();
  }

  /**
   * Sends a `hosts` notice (state, not an event of the ring: no id, never replayed) now if the
   * client keeps up, else once it has caught up, replacing any notice still waiting.
   */
  notify(frame: Buffer): void {
    if (this.closed || !this.options.notices) {
      return;
    }
    if (this.live && !this.output.writableNeedDrain) {
      this.write(frame, true);
    } else {
      this.pendingNotice = frame;
    }
  }

  /** Sends a heartbeat comment if the client is idle and keeping up. */
  ping(idleMs: number, now: number): void {
    if (this.live && !this.output.writableNeedDrain && now - this.lastSentAt >= idleMs) {
      this.write(PING, false);
    }
  }

  close(): void {
    this.closed = true;
    this.pacing.stop();
    this.replay?.close();
    // A catch-up waiting for the socket ends now rather than never: nothing is left pending.
    this.wake();
  }

  private overBound(): boolean {
    return this.lagBytes + (this.replay?.heldBytes ?? 0) > this.options.maxLagBytes;
  }

  // Goes on with whatever was waiting: the archive catch-up if it is, else the ring.
  private wake(): void {
    if (!this.replay?.wake()) {
      this.pump();
    }
  }

  private pump(): void {
    if (this.replay) {
      return;
    }
    let budget = SLICE_BYTES;
    while (!this.closed) {
      if (this.output.writableNeedDrain) {
        this.pacing.waitForDrain();
        return;
      }
      const next = this.events.next(this.cursor);
      if (!next) {
        this.live = true;
        this.lagBytes = 0;
        this.flushNotice();
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
        this.pacing.schedule();
        return;
      }
    }
  }

  private flushNotice(): void {
    const notice = this.pendingNotice;
    if (notice) {
      this.pendingNotice = undefined;
      this.write(notice, true);
    }
  }

  /** Writes `event` if it passes the filter; returns the bytes sent. */
  private deliver(event: HubEvent): number {
    this.cursor = event.id;
    this.filter.passOver(event);
    this.lastEventId = event.eventId;
    if (!this.filter.accepts(event)) {
      return 0;
    }
    const { sse } = event.frame(this.options.projection);
    this.write(sse, true);
    return sse.length;
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

  // The archive replay's handle on this session: made only for a client that catches up.
  private replayTarget(): ReplayTarget {
    return {
      closed: () => this.closed,
      cursor: () => this.cursor,
      lastEventId: () => this.lastEventId,
      nextInRing: () => this.events.next(this.cursor),
      rewind: (position) => (this.cursor = position),
      sendGap: (to) => this.write(gapFrame(this.lastEventId, to), true),
      sendArchived: (event, frame) => {
        this.filter.passOver(event);
        this.lastEventId = event.eventId;
        if (frame) {
          this.write(frame, true);
          this.lagBytes = Math.max(0, this.lagBytes - frame.length);
        }
      },
      overBound: () => this.overBound(),
      drop: () => this.drop(),
      yield: () => this.pacing.yield(),
      replayed: () => {
        this.replay = undefined;
        this.pump();
      },
    };
  }
}
