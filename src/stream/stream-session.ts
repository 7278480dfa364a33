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
  /** Deliver events with ids above this one. */
  after: number;
  /** Frames written before any event (meta), already formatted. */
  prelude: string[];
  /** Unsent bytes the client may fall behind by before it is disconnected. */
  maxLagBytes: number;
}

// Catch-up hands over about this much before yielding, so one client replaying its history
// neither floods its socket buffer nor holds the event loop.
const SLICE_BYTES = 64 * 1024;
const PING = formatSse({ comment: 'ping' });

/**
 * One subscriber's position in the hub's event sequence. While the client keeps up, each event
 * goes straight to its socket as one write of text serialized once for everybody; when its
 * response backs up, or it resumes from an old id, it catches up from the hub's shared ring at
 * the pace its socket drains. A client that falls behind holds no frames of its own, only a
 * cursor: past `maxLagBytes` of unsent events it is disconnected.
 */
export class StreamSession {
  private cursor: number;
  private live = false;
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
  }

  start(): void {
    this.options.prelude.forEach((frame) => this.write(frame, true));
    this.pump();
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
        const data = JSON.stringify({ from: this.cursor, to: next.id });
        this.write(formatSse({ event: 'gap', id: String(next.id - 1), data }), true);
      }
      const sent = this.deliver(next);
      this.lagBytes = Math.max(0, this.lagBytes - sent);
      budget -= sent;
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
    return event instanceof SampleEvent
      ? event.sampleIndex % this.options.everyN === 0
      : this.options.alerts;
  }

  /** Writes `event` if it passes the filter; returns the bytes sent. */
  private deliver(event: HubEvent): number {
    this.cursor = event.id;
    if (!this.accepts(event)) {
      return 0;
    }
    const { sse } = event.frame(this.options.projection);
    this.write(sse, true);
    return sse.length;
  }

  private write(text: string | Buffer, isEvent: boolean): void {
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
