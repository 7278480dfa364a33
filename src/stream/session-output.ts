/** The part of the HTTP response a session writes to and watches for backpressure. */
export interface SessionOutput {
  readonly writableNeedDrain: boolean;
  write(chunk: string | Buffer): boolean;
  once(event: 'drain', listener: () => void): unknown;
  off(event: 'drain', listener: () => void): unknown;
  destroy(): void;
}
