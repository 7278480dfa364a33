import {
  compareEventIds,
  eventIdValue,
  parseEventId,
  previousEventId,
  type EventId,
} from './event-id.js';
import type { ArchiveCatchUp } from './archive-catch-up.js';
import type { HubEvent } from './hub-event.js';
import type { SampleHubService } from './sample-hub.service.js';
import { SampleEvent } from './sample-event.js';
import type { SampleProjection } from './sample-projection.js';
import { formatSse } from './sse-format.js';

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
    if (this.lagBytes > this.options.maxLagBytes) {
      this.drop();
      return;
    }
    this.schedulePump();
  }

  // Writes what the archive has, page by page at the pace the socket drains, then carries on
  // from the ring. If Redis is away, the client is told of the gap instead.
  private async readArchive(catchUp: ArchiveCatchUp): Promise<void> {
    try {
      for (let page = await catchUp.next(); !this.closed; page = await catchUp.next()) {
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
        for (const event of page.events) {
          if (this.accepts(event)) {
            this.write(event.frame(this.options.projection).sse, true);
          }
          this.lastEventId = event.eventId;
        }
        if (this.output.writableNeedDrain && !this.closed) {
          await new Promise<void>((resolve) => this.output.once('drain', () => resolve()));
        }
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
  }

  private readonly onDrain = (): void => {
    this.waitingForDrain = false;
    this.pump();
  };

  private readonly pump = (): void => {
    this.immediate = undefined;
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
      this.immediate = setImmediate(this.pump);
    }
  }

  private waitForDrain(): void {
    if (!this.waitingForDrain) {
      this.waitingForDrain = true;
      this.output.once('drain', this.onDrain);
    }
  }

  private accepts(event: HubEvent): boolean {
    if (this.options.hosts && !this.options.hosts.has(event.host)) {
      return false;
    }
    if (this.skipThrough) {
      if (compareEventIds(parseEventId(event.eventId)!, this.skipThrough) <= 0) {
        return false;
      }
      this.skipThrough = undefined;
    }
    return event instanceof SampleEvent
      ? event.sampleIndex % this.options.everyN === 0
      : this.options.alerts;
  }

  /** Writes `event` if it passes the filter; returns the bytes sent. */
  private deliver(event: HubEvent): number {
    this.cursor = event.id;
    this.lastEventId = event.eventId;
    if (!this.accepts(event)) {
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
}

/** Says that the events after `from` and before `to` are gone; a resume from it starts at `to`. */
function gapFrame(from: string | undefined, to: string | undefined): string {
  const data = JSON.stringify({
    from: from === undefined ? null : eventIdValue(from),
    to: to === undefined ? null : eventIdValue(to),
  });
  return formatSse({ event: 'gap', id: to === undefined ? from : previousEventId(to), data });
}
