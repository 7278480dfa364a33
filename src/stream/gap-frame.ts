import { eventIdValue, previousEventId } from '../hub/event-id.js';
import { formatSse } from '../hub/sse-format.js';

/** Says that the events after `from` and before `to` are gone; a resume from it starts at `to`. */
export function gapFrame(from: string | undefined, to: string | undefined): string {
  const data = JSON.stringify({
    from: from === undefined ? null : eventIdValue(from),
    to: to === undefined ? null : eventIdValue(to),
  });
  return formatSse({ event: 'gap', id: to === undefined ? from : previousEventId(to), data });
}
