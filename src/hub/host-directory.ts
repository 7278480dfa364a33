import type { Sample } from './sample.js';
import type { EventIdValue } from './event-id.js';
import type { SampleEvent } from './sample-event.js';

/** A host the hub has samples of. */
export interface HostSeen {
  name: string;
  /** The newest sample's timestamp. */
  lastSeen: string;
  lastId: EventIdValue;
  /** Milliseconds since that timestamp. */
  ageMs: number;
}

/** The hosts whose samples pass through the hub: each one's newest sample and sample count. */
export class HostDirectory {
  private readonly newest = new Map<string, SampleEvent>();
  private readonly counts = new Map<string, number>();

  /** The ordinal the next sample of `host` gets, for `every=`: each host keeps its cadence. */
  nextIndex(host: string): number {
    const index = this.counts.get(host) ?? 0;
    this.counts.set(host, index + 1);
    return index;
  }

  record(event: SampleEvent): void {
    this.newest.set(event.host, event);
  }

  /** The newest sample of any of `hosts`. */
  newestOf(hosts: Iterable<string>): SampleEvent | undefined {
    let newest: SampleEvent | undefined;
    for (const host of hosts) {
      const event = this.newest.get(host);
      if (event && (!newest || event.id > newest.id)) {
        newest = event;
      }
    }
    return newest;
  }

  /**
   * The oldest of the newest samples of `hosts` (every host when undefined) that are at or
   * after position `oldest` and were published since `since`: where a new client starts.
   */
  oldestRecent(
    hosts: ReadonlySet<string> | undefined,
    oldest: number,
    since: number,
  ): SampleEvent | undefined {
    let start: SampleEvent | undefined;
    for (const [host, event] of this.newest) {
      const recent = event.id >= oldest && event.publishedAt >= since;
      if (recent && (!hosts || hosts.has(host)) && (!start || event.id < start.id)) {
        start = event;
      }
    }
    return start;
  }

  /** The newest sample of each host; samples from elsewhere say whose they are. */
  *newestSamples(): IterableIterator<{ sample: Sample; labelHost: boolean }> {
    for (const event of this.newest.values()) {
      yield { sample: event.sample, labelHost: event.remote };
    }
  }

  /** Every host, by name. */
  list(): HostSeen[] {
    const now = Date.now();
    return [...this.newest.values()]
      .map(({ sample }) => ({
        name: sample.host,
        lastSeen: sample.timestamp,
        lastId: sample.id,
        ageMs: Math.max(0, now - Date.parse(sample.timestamp)),
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }
}
