import { EventEmitter } from 'node:events';
import type { SessionOutput } from '../../src/stream/stream-session.js';
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
