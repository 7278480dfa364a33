import { createHmac } from 'node:crypto';
import type { AlertChange, AlertSeverity } from '../hub/alert-change.js';
import { eventIdValue } from '../hub/event-id.js';
import { alertDetail, alertSummary, alertTitle, truncate } from './alert-text.js';
import {
  alertmanagerAlerts,
  type AlertmanagerAlert,
  type AlertmanagerAlertOptions,
} from './alertmanager-alerts.js';
import type {
  AlertmanagerReceiver,
  DiscordReceiver,
  NtfyReceiver,
  Receiver,
  SlackReceiver,
  WebhookReceiver,
} from './delivery-config.js';

/** The HTTP request a receiver is sent: always a POST. */
export interface DeliveryRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** An alert change and the id of its `alert` event: what an `AlertEvent` of the hub holds. */
export interface AlertDelivery {
  readonly eventId: string;
  readonly alert: AlertChange;
}

/**
 * The request `receiver` is sent for one alert change. `options` matter to Alertmanager only
 * (see {@link alertmanagerAlerts}); everything here is pure: the same inputs, the same bytes.
 */
export function deliveryRequest(
  receiver: Receiver,
  delivery: AlertDelivery,
  options: AlertmanagerAlertOptions = {},
): DeliveryRequest {
  switch (receiver.kind) {
    case 'webhook':
      return webhookRequest(receiver, delivery);
    case 'alertmanager':
      return alertmanagerRequest(receiver, alertmanagerAlerts(delivery.alert, options));
    case 'ntfy':
      return ntfyRequest(receiver, delivery.alert);
    case 'slack':
      return slackRequest(receiver, delivery.alert);
    case 'discord':
      return discordRequest(receiver, delivery.alert);
  }
}

/** The webhook body: the stream's `alert` data (the contract's fields, in order) with `id`. */
export function webhookBody({ eventId, alert }: AlertDelivery): string {
  const { rule, metric, severity, value, threshold, since, host, labels } = alert;
  return JSON.stringify({
    id: eventIdValue(eventId),
    ...{ rule, metric, severity, value, threshold, since, host, labels },
  });
}

/** `sha256=<hex HMAC-SHA256 of body with secret>`: the `X-Vitals-Signature` header. */
export function webhookSignature(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

export function webhookRequest(
  receiver: WebhookReceiver,
  delivery: AlertDelivery,
): DeliveryRequest {
  const body = webhookBody(delivery);
  return post(receiver.url, body, {
    'Content-Type': 'application/json',
    ...(receiver.secret !== undefined && {
      'X-Vitals-Signature': webhookSignature(body, receiver.secret),
    }),
  });
}

/**
 * `POST <url>/api/v2/alerts` with `alerts`: those of one change, or every active alert at once
 * when they are re-sent so that Alertmanager does not time them out.
 */
export function alertmanagerRequest(
  receiver: AlertmanagerReceiver,
  alerts: readonly AlertmanagerAlert[],
): DeliveryRequest {
  const url = new URL(receiver.url);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/api/v2/alerts`;
  return post(url.href, JSON.stringify(alerts), { 'Content-Type': 'application/json' });
}

// ntfy's priorities (5 urgent, 4 high, 3 default) and tags that show as emoji.
const NTFY: Record<AlertSeverity, { priority: string; tag: string }> = {
  critical: { priority: '5', tag: 'rotating_light' },
  warning: { priority: '4', tag: 'warning' },
  resolved: { priority: '3', tag: 'white_check_mark' },
};

/**
 * A message to an ntfy topic: the detail as a plain-text body, and ntfy's `X-` headers (the
 * bare `Priority` is also the HTTP priority header of RFC 9218, which proxies may set).
 */
export function ntfyRequest(receiver: NtfyReceiver, change: AlertChange): DeliveryRequest {
  const { priority, tag } = NTFY[change.severity];
  return post(receiver.url, `${alertDetail(change)}\nsince ${change.since}`, {
    'Content-Type': 'text/plain; charset=utf-8',
    'X-Title': headerText(alertTitle(change)),
    'X-Priority': priority,
    // ntfy splits tags at commas.
    'X-Tags': [tag, change.host.replaceAll(',', '_')].map(headerText).join(','),
    ...(receiver.token !== undefined && { Authorization: `Bearer ${receiver.token}` }),
  });
}

const SLACK_EMOJI: Record<AlertSeverity, string> = {
  critical: ':rotating_light:',
  warning: ':warning:',
  resolved: ':white_check_mark:',
};
// A section's text may hold 3000 characters; Slack rejects a message past that.
const SLACK_MAX_TEXT = 3000;

/** A Slack incoming-webhook message: `text` in mrkdwn, its `&`, `<` and `>` escaped. */
export function slackRequest(receiver: SlackReceiver, change: AlertChange): DeliveryRequest {
  const escape = (text: string): string =>
    text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
  const text =
    `${SLACK_EMOJI[change.severity]} *${escape(alertTitle(change))}*\n` +
    `${escape(alertDetail(change))}, since ${change.since}`;
  return post(receiver.url, JSON.stringify({ text: truncate(text, SLACK_MAX_TEXT) }), {
    'Content-Type': 'application/json',
  });
}

// Red, amber, green.
const DISCORD_COLOUR: Record<AlertSeverity, number> = {
  critical: 0xe53935,
  warning: 0xfb8c00,
  resolved: 0x43a047,
};
const DISCORD_EMOJI: Record<AlertSeverity, string> = {
  critical: '🚨',
  warning: '⚠️',
  resolved: '✅',
};

/**
 * A Discord webhook message: a one-line `content` (what a push notification shows) and an embed
 * coloured by severity, within Discord's limits; no text can mention anyone.
 */
export function discordRequest(receiver: DiscordReceiver, change: AlertChange): DeliveryRequest {
  const field = (name: string, value: string): { name: string; value: string; inline: true } => ({
    name,
    value: truncate(discordEscape(value), 1024),
    inline: true,
  });
  const body = {
    content: truncate(
      `${DISCORD_EMOJI[change.severity]} ${discordEscape(alertSummary(change))}`,
      2000,
    ),
    embeds: [
      {
        title: truncate(discordEscape(alertTitle(change)), 256),
        description: truncate(discordEscape(alertDetail(change)), 4096),
        color: DISCORD_COLOUR[change.severity],
        timestamp: change.since,
        fields: [
          field('Host', change.host),
          field('Value', change.value === null ? 'none' : String(change.value)),
          field('Threshold', String(change.threshold)),
        ],
      },
    ],
    // A rule or label such as "@everyone" must not ping a whole server.
    allowed_mentions: { parse: [] },
  };
  return post(receiver.url, JSON.stringify(body), { 'Content-Type': 'application/json' });
}

// Markdown that would format or link text mid-line (bold, strike, code, spoilers, masked
// links, mentions), escaped with a backslash as Discord reads it.
function discordEscape(text: string): string {
  return text.replace(/[\\*_~`|<[\]]/g, '\\$&');
}

// A header value fetch accepts and ntfy reads: no control characters, and text beyond ASCII as
// RFC 2047 encoded-words (which ntfy decodes), each under the 75 characters the RFC allows.
function headerText(text: string): string {
  const clean = text.replace(/[\p{Cc}]/gu, ' ');
  if (/^[\x20-\x7e]*$/.test(clean)) {
    return clean;
  }
  const words: string[] = [''];
  for (const char of clean) {
    if (Buffer.byteLength(words[words.length - 1] + char) > 45) {
      words.push('');
    }
    words[words.length - 1] += char;
  }
  return words.map((word) => `=?UTF-8?B?${Buffer.from(word).toString('base64')}?=`).join(' ');
}

// fetch refuses a URL with credentials in it; what they mean is Basic authentication.
function post(target: string, body: string, headers: Record<string, string>): DeliveryRequest {
  const url = new URL(target);
  if (url.username === '' && url.password === '') {
    return { url: target, headers, body };
  }
  const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  url.username = '';
  url.password = '';
  return {
    url: url.href,
    headers: {
      Authorization: `Basic ${Buffer.from(credentials).toString('base64')}`,
      ...headers,
    },
    body,
  };
}
