import { EventEmitter } from 'node:events';
import type { SessionOutput } from '../../src/stream/session-output.js';
import { type SseFrame, parseSseFrames } from './sse-connection.js';

/**
 * An HTTP response as a stream session sees it: it records what is written, and a test sets
 * its backpressure flag, drains it and sees whether it was destroyed.
 */
export class FakeOutput extends EventEmitter implements SessionOutput {
  writableNeedDrain = false;
  destroyed = false;
  text = '';

  write(chunk: string | Buffer): boolean {
    this.text += chunk.toString();
    return !this.writableNeedDrain;
  }

  destroy(): void {
    this.destroyed = true;
  }

  /** The client read everything: the response drains. */
  drain(): void {
    this.writableNeedDrain = false;
    this.emit('drain');
  }

  /** Every complete frame written so far. */
  get frames(): SseFrame[] {
    return parseSseFrames(this.text);
  }
}

/** A response that takes `highWaterMark` bytes, then asks to wait for `drain`, as a socket does. */
export class BoundedOutput extends FakeOutput {
  private pending = 0;

  constructor(private readonly highWaterMark: number) {
    super();
  }

  override write(chunk: string | Buffer): boolean {
    super.write(chunk);
    this.pending += chunk.length;
    this.writableNeedDrain = this.pending >= this.highWaterMark;
    return !this.writableNeedDrain;
  }

  override drain(): void {
    this.pending = 0;
    super.drain();
  }
}
