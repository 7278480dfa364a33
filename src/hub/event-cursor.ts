import type { HubEvent } from './hub-event.js';

/**
 * A reader's way through the events the hub retains, one position at a time: all a stream
 * session needs of the hub. The hub implements it.
 */
export interface EventCursor {
  /** The first retained event after position `after`: where a reader at `after` continues. */
  next(after: number): HubEvent | undefined;
}
