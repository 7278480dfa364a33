import type { Sample } from '../hub/sample.js';
import type { AlertChange, AlertLevel } from '../hub/alert-change.js';
import type { AlertRule } from './alert-rule.js';
import type { AlertLabels } from './metric-path.js';

type State = AlertLevel | 'ok';

const RANK: Record<State, number> = { ok: 0, warning: 1, critical: 2 };
const LEVELS: readonly AlertLevel[] = ['warning', 'critical'];

interface Tracked {
  state: State;
  labels: AlertLabels;
  /** Sample time (ms) since which each level's condition has held without a break. */
  heldSince: Partial<Record<AlertLevel, number>>;
}

/**
 * Applies threshold rules to each sample in turn and says which alerts changed state. A level
 * is entered once the value has been at or above its threshold for the rule's `for` (measured
 * in sample time), and left only once the value is `hysteresis` below it, so a value wobbling
 * around a threshold changes nothing. Elements of a list (each disk, each interface) are
 * tracked apart; one that disappears, or whose value becomes unavailable, resolves its alert
 * (with a null value) and has to hold for `for` again once it is back.
 */
export class AlertEvaluator {
  private readonly tracked = new Map<string, Tracked>();

  constructor(private readonly rules: readonly AlertRule[]) {}

  evaluate(sample: Sample): AlertChange[] {
    const at = Date.parse(sample.timestamp);
    const changes: AlertChange[] = [];
    for (const rule of this.rules) {
      // A group not read (yet, or failing) and a figure the host no longer gives (swap turned
      // off, a sensor gone) are unknown: like a vanished Prometheus series, their alerts resolve.
      const values = rule.read(sample) ?? [];
      const seen = new Set<string>();
      for (const { labels, value } of values) {
        if (value === null) {
          continue;
        }
        const key = `${rule.name}\u0000${JSON.stringify(labels)}`;
        seen.add(key);
        const tracked = this.tracked.get(key) ?? { state: 'ok', labels, heldSince: {} };
        const next = this.nextState(rule, tracked, value, at);
        if (next !== tracked.state) {
          changes.push(this.change(rule, sample, tracked, next, value));
          tracked.state = next;
        }
        if (tracked.state === 'ok' && Object.keys(tracked.heldSince).length === 0) {
          this.tracked.delete(key);
        } else {
          this.tracked.set(key, tracked);
        }
      }
      for (const [key, tracked] of this.tracked) {
        if (key.startsWith(`${rule.name}\u0000`) && !seen.has(key)) {
          if (tracked.state !== 'ok') {
            changes.push(this.change(rule, sample, tracked, 'ok', null));
          }
          this.tracked.delete(key);
        }
      }
    }
    return changes;
  }

  private nextState(rule: AlertRule, tracked: Tracked, value: number, at: number): State {
    let next: State = 'ok';
    for (const level of LEVELS) {
      const threshold = rule[level];
      // Staying in a level (or above it) only takes the threshold less the hysteresis.
      const holding = RANK[tracked.state] >= RANK[level];
      const met = threshold !== null && value >= threshold - (holding ? rule.hysteresis : 0);
      if (!met) {
        delete tracked.heldSince[level];
        continue;
      }
      const since = (tracked.heldSince[level] ??= at);
      if (holding || at - since >= rule.forMs) {
        next = level;
      }
    }
    return next;
  }

  private change(
    rule: AlertRule,
    sample: Sample,
    tracked: Tracked,
    next: State,
    value: number | null,
  ): AlertChange {
    // Resolved reports the lowest threshold, the one whose leaving ends the alert.
    const threshold = next === 'ok' ? (rule.warning ?? rule.critical) : rule[next];
    return {
      rule: rule.name,
      metric: rule.metric,
      severity: next === 'ok' ? 'resolved' : next,
      value,
      threshold: threshold ?? 0,
      since: sample.timestamp,
      host: sample.host,
      labels: tracked.labels,
    };
  }
}
