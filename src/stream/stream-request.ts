import type { SampleProjection } from '../hub/sample-projection.js';

/** What a subscriber asked for, as the stream controllers pass it on. */
export interface StreamRequest {
  projection: SampleProjection;
  /** The groups named in the meta frame; no meta frame when undefined (the demo stream). */
  groups?: readonly string[];
  /** Milliseconds between delivered samples: a multiple of the interval. */
  every?: number;
  /** The last id the client has seen (Last-Event-ID); replay what came after it. */
  lastEventId?: string;
  /** Where lastEventId came from, for error messages: `Last-Event-ID` or `lastEventId`. */
  lastEventIdSource?: string;
  /** Only these hosts' events; every host's when undefined. */
  hosts?: ReadonlySet<string>;
  /** false: no catch-up, live events only. */
  replay?: boolean;
  /** false: samples only, no alert events. */
  alerts?: boolean;
  /** The client's address, for the per-address cap. */
  clientIp?: string;
}

/** Counters of the streams' life, for readiness and /metrics. */
export interface StreamStats {
  open: number;
  opened: number;
  dropped: number;
  rejected: number;
  /** Event frames sent to subscribers since startup. */
  eventsSent: number;
}
