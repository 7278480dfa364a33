import { Injectable } from '@nestjs/common';

/**
 * How many streams are open: the stream room says how to count them, the sampler reads the
 * figure into each sample's `self`, and neither knows the other.
 */
@Injectable()
export class Audience {
  private count: () => number = () => 0;

  /** Streams open now; 0 where nothing streams. */
  get size(): number {
    return this.count();
  }

  /** Called once by the room that holds the streams. */
  countWith(count: () => number): void {
    this.count = count;
  }
}
