import { eventIdValue, previousEventId } from './event-id.js';
import type { HubEvent, SerializedFrame } from './hub-event.js';
import { formatSse } from './sse-format.js';

/**
 * Events between `from` and `to` are gone: on a gateway, Redis trimmed (MAXLEN) entries while
 * the gateway could not read them. It travels through the hub like any event, so it is in the
 * ring (a client resuming from before it learns of the gap too) and reaches every live stream,
 * whatever its host=, groups= or alerts=. Its id is the one just before `to`, as a resume's gap
 * frame has it: a client that reconnects from it continues at `to`.
 */
export class GapEvent implements HubEvent {
  readonly kind = 'gap';
  readonly remote = true;
  // About no host in particular: the streams let it through whatever hosts they select.
  readonly host = '';
  readonly eventId: string;
  private serialized: SerializedFrame | undefined;

  constructor(
    readonly id: number,
    /** The id of the last event taken before the gap. */
    readonly from: string,
    /** The id of the first event available after it. */
    readonly to: string,
    readonly publishedAt: number,
  ) {
    this.eventId = previousEventId(to);
  }

  frame(): SerializedFrame {
    if (!this.serialized) {
      const id = this.eventId;
      const data = JSON.stringify({ from: eventIdValue(this.from), to: eventIdValue(this.to) });
      this.serialized = {
        id,
        type: 'gap',
        data,
        sse: Buffer.from(formatSse({ event: 'gap', id, data })),
      };
    }
    return this.serialized;
  }
}
