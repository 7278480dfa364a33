import type { AlertChange, AlertLevel } from '../hub/alert-change.js';
import { alertSummary } from './alert-text.js';

/** An alert as Alertmanager's `POST /api/v2/alerts` takes it (`postableAlert`). */
export interface AlertmanagerAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  /** In the past: resolved. In the future: firing until then unless re-sent. */
  endsAt?: string;
  generatorURL?: string;
}

export interface AlertmanagerAlertOptions {
  /**
   * The alert's change before this one (its latest while active, e.g. from the hub's active
   * alerts before this change is recorded): the level it fired at, and since when. Needed to
   * end that level, since Alertmanager tells alerts apart by their labels, severity included.
   */
  previous?: AlertChange;
  /**
   * For a firing alert, when Alertmanager should take it as resolved unless it is re-sent
   * (Prometheus sends four re-send intervals ahead). Omitted, its `resolve_timeout` applies.
   */
  expiresAt?: string;
  /** A link back to where the alert comes from, e.g. the dashboard. */
  generatorURL?: string;
}

const LEVELS: readonly AlertLevel[] = ['warning', 'critical'];

/**
 * The Alertmanager alerts one change of an alert's state makes, each level its own alert (the
 * contract's `severity` label): entering a level fires it (`startsAt` = `since`); resolving
 * ends the level it fired at (`endsAt` = the resolve's `since`); moving between warning and
 * critical ends the old level and fires the new one. A resolve whose firing level is unknown
 * ends both levels: Alertmanager only tells anyone of a resolve it had notified as firing.
 * Annotations always describe `change`, the latest news.
 */
export function alertmanagerAlerts(
  change: AlertChange,
  options: AlertmanagerAlertOptions = {},
): AlertmanagerAlert[] {
  const { previous, expiresAt, generatorURL } = options;
  const fired =
    previous && previous.severity !== 'resolved'
      ? { level: previous.severity, since: previous.since }
      : undefined;
  const ended = (level: AlertLevel, since: string): AlertmanagerAlert => ({
    ...alertOf(change, level, generatorURL),
    // Alertmanager refuses an end before the start.
    startsAt: earlier(since, change.since),
    endsAt: change.since,
  });
  if (change.severity === 'resolved') {
    return fired
      ? [ended(fired.level, fired.since)]
      : LEVELS.map((level) => ended(level, change.since));
  }
  const alerts: AlertmanagerAlert[] = [];
  if (fired && fired.level !== change.severity) {
    alerts.push(ended(fired.level, fired.since));
  }
  // A repeat of the level it is in keeps the start Alertmanager already has.
  const startsAt =
    fired?.level === change.severity ? earlier(fired.since, change.since) : change.since;
  alerts.push({
    ...alertOf(change, change.severity, generatorURL),
    startsAt,
    ...(expiresAt !== undefined && { endsAt: expiresAt }),
  });
  return alerts;
}

/** A label name Alertmanager accepts everywhere: `[a-zA-Z_][a-zA-Z0-9_]*`, others as `_`. */
export function alertmanagerLabelName(name: string): string {
  const mapped = name.replace(/[^a-zA-Z0-9_]/gu, '_');
  return /^[a-zA-Z_]/.test(mapped) ? mapped : `_${mapped}`;
}

// Labels name the alert at `severity`; annotations describe `change`.
function alertOf(
  change: AlertChange,
  severity: AlertLevel,
  generatorURL: string | undefined,
): Pick<AlertmanagerAlert, 'labels' | 'annotations' | 'generatorURL'> {
  const labels: Record<string, string> = {};
  for (const [name, value] of Object.entries(change.labels)) {
    labels[alertmanagerLabelName(name)] = value;
  }
  // The alert's identity comes last, so no element label can take its place.
  Object.assign(labels, { alertname: change.rule, severity, host: change.host });
  const annotations: Record<string, string> = { metric: change.metric };
  if (change.value !== null) {
    annotations.value = String(change.value);
  }
  annotations.threshold = String(change.threshold);
  annotations.summary = alertSummary(change);
  return { labels, annotations, ...(generatorURL !== undefined && { generatorURL }) };
}

const earlier = (a: string, b: string): string => (Date.parse(a) <= Date.parse(b) ? a : b);
