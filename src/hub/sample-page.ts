import type { HubEvent } from './hub-event.js';
import { SampleEvent } from './sample-event.js';

/** The first `limit` samples of `hosts` (of any host when undefined) among `events`. */
export function samplePage(
  events: Iterable<HubEvent>,
  limit: number,
  hosts: ReadonlySet<string> | undefined,
): SampleEvent[] {
  const page: SampleEvent[] = [];
  for (const event of events) {
    if (page.length === limit) {
      break;
    }
    if (event instanceof SampleEvent && (!hosts || hosts.has(event.host))) {
      page.push(event);
    }
  }
  return page;
}
