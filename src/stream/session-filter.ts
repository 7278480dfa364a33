import { compareEventIds, parseEventId, type EventId } from '../hub/event-id.js';
import type { HubEvent } from '../hub/hub-event.js';
import { SampleEvent } from '../hub/sample-event.js';

/** What a subscriber selected: which of the hub's events it takes. */
export interface FilterOptions {
  /** Deliver every n-th sample (by sample index). */
  everyN: number;
  /** Deliver alert events too. */
  alerts: boolean;
  /** Deliver only these hosts' events; every host's when undefined. */
  hosts?: ReadonlySet<string>;
  /** Skip events up to this id: the client has them already (from a replica ahead of this one). */
  skipThrough?: EventId;
}

/**
 * Which events one subscriber takes: its hosts, every n-th sample, alerts or not, and nothing up
 * to an id it already has. The only state is that id, cleared once the stream passes it.
 */
export class SessionFilter {
  private skipThrough: EventId | undefined;

  constructor(private readonly options: FilterOptions) {
    this.skipThrough = options.skipThrough;
  }

  /**
   * Whether the client takes `event`. Free of side effects: it is also asked about events that
   * are only counted, not sent (the lag of a client behind), and ahead of ones still to send.
   */
  accepts(event: HubEvent): boolean {
    // Lost events concern every client, whatever it selects (a gateway's outage: GapEvent).
    if (event.kind === 'gap') {
      return true;
    }

    if (this.options.hosts && !this.options.hosts.has(event.host)) {
      return false;
    }
    if (this.skipThrough && compareEventIds(parseEventId(event.eventId)!, this.skipThrough) <= 0) {
      return false;
    }
    return event instanceof SampleEvent
      ? event.sampleIndex % this.options.everyN === 0
      : this.options.alerts;
  }

  /** `event` went by. Events pass in id order: once one beyond skipThrough has, so will every later one. */
  passOver(event: HubEvent): void {
    if (this.skipThrough && compareEventIds(parseEventId(event.eventId)!, this.skipThrough) > 0) {
      this.skipThrough = undefined;
    }
  }

  /** Skips what the client has up to `eventId` too (undefined: nothing more). */
  skipThroughAtLeast(eventId: string | undefined): void {
    const last = eventId === undefined ? undefined : parseEventId(eventId);
    if (last && (!this.skipThrough || compareEventIds(last, this.skipThrough) > 0)) {
      this.skipThrough = last;
    }
  }
}
