import type { AlertChange } from './alert-change.js';
import { AlertEvent } from './alert-event.js';
import { eventIdValue } from './event-id.js';
import type { Sample } from './sample.js';
import { SampleEvent } from './sample-event.js';

/** An event from another process, with the id it was given there (a Redis Stream entry id). */
export type RemoteEvent =
  | { eventId: string; kind: 'sample'; sample: Sample }
  | { eventId: string; kind: 'alert'; alert: AlertChange };

/**
 * `remote` as a hub event at `position` (-1: outside the hub's sequence, one read from the
 * archive). `sampleIndex` is its place among its host's samples, for `every=`.
 */
export function remoteHubEvent(
  remote: RemoteEvent,
  position: number,
  sampleIndex: number,
): SampleEvent | AlertEvent {
  return remote.kind === 'alert'
    ? new AlertEvent(position, remote.eventId, remote.alert, performance.now(), true)
    : new SampleEvent(
        position,
        remote.eventId,
        sampleIndex,
        { ...remote.sample, id: eventIdValue(remote.eventId) },
        performance.now(),
        true,
      );
}
