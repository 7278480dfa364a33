import type { SessionOutput } from './session-output.js';

/**
 * When a session writes next: once its response drains if it asked to wait, or else after other
 * work ran (one client's catch-up never holds the event loop). At most one wake is pending.
 */
export class OutputPacing {
  private waitingForDrain = false;
  private immediate: NodeJS.Immediate | undefined;

  constructor(
    private readonly output: SessionOutput,
    private readonly wake: () => void,
  ) {}

  /** Wakes when the output drains if it is backed up, else soon, unless a wake is pending. */
  schedule(): void {
    if (this.output.writableNeedDrain) {
      this.waitForDrain();
    } else if (!this.immediate && !this.waitingForDrain) {
      this.immediate = setImmediate(this.onImmediate);
    }
  }

  /** Wakes when the output drains if it is backed up, else soon. */
  yield(): void {
    if (this.output.writableNeedDrain) {
      this.waitForDrain();
    } else {
      this.immediate ??= setImmediate(this.onImmediate);
    }
  }

  /** Wakes when the output drains. */
  waitForDrain(): void {
    if (!this.waitingForDrain) {
      this.waitingForDrain = true;
      this.output.once('drain', this.onDrain);
    }
  }

  /** Cancels the pending wake, leaving no timer and no listener. */
  stop(): void {
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
    this.wake();
  };

  private readonly onImmediate = (): void => {
    this.immediate = undefined;
    this.wake();
  };
}
