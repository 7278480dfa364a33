import type { AlertChange } from './alert-change.js';
import type { HubEvent, SerializedFrame } from './hub-event.js';
import { formatSse } from './sse-format.js';

/**
 * A change of an alert's state in the stream's id sequence. Every subscriber that takes alerts
 * gets the same frame, whatever its `groups=`, so it is serialized once.
 */
export class AlertEvent implements HubEvent {
  readonly kind = 'alert';
  private serialized: SerializedFrame | undefined;

  constructor(
    readonly id: number,
    readonly eventId: string,
    readonly alert: AlertChange,
    readonly publishedAt: number,
    readonly remote = false,
  ) {}

  get host(): string {
    return this.alert.host;
  }

  /** Identifies the alert across its changes: host, rule and the element it watches. */
  get key(): string {
    return alertKey(this.alert);
  }

  frame(): SerializedFrame {
    if (!this.serialized) {
      const id = this.eventId;
      const data = JSON.stringify(this.alert);
      this.serialized = {
        id,
        type: 'alert',
        data,
        sse: Buffer.from(formatSse({ event: 'alert', id, data })),
      };
    }
    return this.serialized;
  }
}

export function alertKey({ host, rule, labels }: AlertChange): string {
  return `${host}\u0000${rule}\u0000${JSON.stringify(labels)}`;
}
