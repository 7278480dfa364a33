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
  /** Silent for more than three of its intervals. */
  stale: boolean;
}

/** When hosts go stale and are forgotten. */
export interface HostLifetime {
  /** A host silent longer than this is forgotten (VITALS_HOST_TTL). */
  ttlMs: number;
  /** The interval assumed for a host until two of its samples tell its own (VITALS_INTERVAL_MS). */
  intervalMs: number;
}

interface HostState {
  event: SampleEvent;
  /** Its cadence: the time between its two newest samples, by its own clock. */
  intervalMs: number;
  stale: boolean;
}

// A gap outside these bounds is not a cadence: a sample read twice, or a host back after days.
const MIN_INTERVAL_MS = 100;
const MAX_INTERVAL_MS = 3_600_000;

/**
 * The hosts whose samples pass through the hub: each one's newest sample and sample count, and
 * whether it is stale (silent for three of its intervals) or gone (silent past the TTL). Silence
 * is timed from when this process received the sample, so an agent's clock does not matter; a
 * stale host is also forgotten when its newest sample is older than the TTL by its own time, so
 * that old entries read again from Redis at a gateway's start do not bring back a host gone for
 * days.
 */
export class HostDirectory {
  private readonly newest = new Map<string, HostState>();
  private readonly counts = new Map<string, number>();
  // The set of hosts or their staleness changed since the last sweep.
  private changed = false;

  constructor(
    private readonly lifetime: HostLifetime = { ttlMs: 86_400_000, intervalMs: 1000 },
    private readonly wallNow: () => number = Date.now,
  ) {}

  /** The ordinal the next sample of `host` gets, for `every=`: each host keeps its cadence. */
  nextIndex(host: string): number {
    const index = this.counts.get(host) ?? 0;
    this.counts.set(host, index + 1);
    return index;
  }

  record(event: SampleEvent): void {
    const previous = this.newest.get(event.host);
    const gap = previous
      ? Date.parse(event.sample.timestamp) - Date.parse(previous.event.sample.timestamp)
      : Number.NaN;
    const cadence = gap >= MIN_INTERVAL_MS && gap <= MAX_INTERVAL_MS;
    this.newest.set(event.host, {
      event,
      intervalMs: cadence ? gap : (previous?.intervalMs ?? this.lifetime.intervalMs),
      stale: false,
    });
    if (!previous || previous.stale) {
      this.changed = true;
    }
  }

  /**
   * Marks the hosts silent for three of their intervals stale and forgets those silent past the
   * TTL, as of `now` (performance.now()). Returns the forgotten hosts, and whether the set or
   * its staleness changed since the last sweep (a host seen for the first time or again counts).
   */
  sweep(now: number): { changed: boolean; forgotten: string[] } {
    const forgotten: string[] = [];
    const wall = this.wallNow();
    for (const [host, state] of this.newest) {
      const silentMs = now - state.event.publishedAt;
      const stale = silentMs > 3 * state.intervalMs;
      // A stale host is also gone once its newest sample is older than the TTL by its own time
      // (entries read again from Redis); one still reporting is kept, whatever its clock says.
      const ageMs = stale ? wall - Date.parse(state.event.sample.timestamp) : 0;
      if (silentMs > this.lifetime.ttlMs || ageMs > this.lifetime.ttlMs) {
        this.newest.delete(host);
        this.counts.delete(host);
        forgotten.push(host);
      } else if (stale && !state.stale) {
        state.stale = true;
        this.changed = true;
      }
    }
    const changed = this.changed || forgotten.length > 0;
    this.changed = false;
    return { changed, forgotten };
  }

  /** The newest sample of any of `hosts`. */
  newestOf(hosts: Iterable<string>): SampleEvent | undefined {
    let newest: SampleEvent | undefined;
    for (const host of hosts) {
      const event = this.newest.get(host)?.event;
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
    for (const [host, { event }] of this.newest) {
      const recent = event.id >= oldest && event.publishedAt >= since;
      if (recent && (!hosts || hosts.has(host)) && (!start || event.id < start.id)) {
        start = event;
      }
    }
    return start;
  }

  /** The newest sample of each host; samples from elsewhere say whose they are. */
  *newestSamples(): IterableIterator<{ sample: Sample; labelHost: boolean }> {
    for (const { event } of this.newest.values()) {
      yield { sample: event.sample, labelHost: event.remote };
    }
  }

  /** Every host, by name. */
  list(): HostSeen[] {
    const now = this.wallNow();
    return [...this.newest.values()]
      .map(({ event: { sample }, stale }) => ({
        name: sample.host,
        lastSeen: sample.timestamp,
        lastId: sample.id,
        ageMs: Math.max(0, now - Date.parse(sample.timestamp)),
        stale,
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }
}
