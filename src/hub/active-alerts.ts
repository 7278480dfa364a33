import type { AlertChange } from './alert-change.js';
import { AlertEvent, alertKey } from './alert-event.js';

/**
 * The alerts in warning or critical now, as the latest change of each says, in the order they
 * entered their current state.
 */
export class ActiveAlerts {
  private readonly active = new Map<string, AlertEvent>();

  /** The latest change of each active alert, oldest first. */
  list(): AlertEvent[] {
    return [...this.active.values()];
  }

  /** Takes `event` as its alert's latest change: active unless it resolves it. */
  record(event: AlertEvent): void {
    const key = alertKey(event.alert);
    // Re-inserted, so the map stays in the order the alerts entered their current state.
    this.active.delete(key);
    if (event.alert.severity !== 'resolved') {
      this.active.set(key, event);
    }
  }

  /**
   * Takes an alert another process raised before this one started (its event long gone from
   * memory) as active, unless this one knows of it already.
   */
  restore(eventId: string, alert: AlertChange, at: number): void {
    const key = alertKey(alert);
    if (alert.severity !== 'resolved' && !this.active.has(key)) {
      this.active.set(key, new AlertEvent(-1, eventId, alert, at, true));
    }
  }

  /** Drops the alerts of a host that is gone (silent past VITALS_HOST_TTL): no one will resolve them. */
  forgetHost(host: string): void {
    for (const [key, event] of this.active) {
      if (event.host === host) {
        this.active.delete(key);
      }
    }
  }
}
