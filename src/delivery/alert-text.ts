import type { AlertChange } from '../hub/alert-change.js';

/**
 * How an alert change reads to a person, for the notification kinds (ntfy, Slack, Discord) and
 * Alertmanager's summary: plain text, escaped by each caller for its own markup.
 */

/** `CRITICAL high-memory on web-1 (mount=/)`. */
export function alertTitle(change: AlertChange): string {
  const labels = Object.entries(change.labels).map(([name, value]) => `${name}=${value}`);
  const element = labels.length > 0 ? ` (${labels.join(', ')})` : '';
  return `${change.severity.toUpperCase()} ${change.rule} on ${change.host}${element}`;
}

/** `memory.usage = 96.5, at or above 95` or, resolved, `… = 80, below 85 again`. */
export function alertDetail(change: AlertChange): string {
  const { metric, value, threshold } = change;
  if (value === null) {
    // The element is gone (a disk unmounted) or its value no longer readable.
    return `${metric} is no longer reported`;
  }
  const where = change.severity === 'resolved' ? 'below' : 'at or above';
  const again = change.severity === 'resolved' ? ' again' : '';
  return `${metric} = ${humanNumber(value)}, ${where} ${humanNumber(threshold)}${again}`;
}

/** Title and detail on one line: `CRITICAL high-memory on web-1: memory.usage = 96.5, …`. */
export function alertSummary(change: AlertChange): string {
  return `${alertTitle(change)}: ${alertDetail(change)}`;
}

// Two decimals are plenty for a person; the exact value is in the webhook and annotations.
function humanNumber(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** `text` cut to at most `max` characters (code points, so no emoji is split), marked by `…`. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}
