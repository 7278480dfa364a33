import { EventEmitter } from 'node:events';
import type { SessionOutput } from '../../src/stream/stream-session.js';

/** An HTTP response as a stream session sees it: a backpressure flag, 'drain' and destroy. */
export class FakeOutput extends EventEmitter implements SessionOutput {
  writableNeedDrain = false;
  destroyed = false;

  destroy(): void {
    this.destroyed = true;
  }

  /** The client read everything: the response drains. */
  drain(): void {
    this.writableNeedDrain = false;
    this.emit('drain');
  }
}
