import type { AlertChange } from '../hub/alert-change.js';
import { parseRoute, routeMatches, type Route } from './delivery-routes.js';
import { readSetting, type Env } from './env-substitution.js';
import { shownUrl } from './shown-url.js';

export type { Route } from './delivery-routes.js';

/** Where alert changes can go: the keys a receiver in the alert rules file may have. */
export const RECEIVER_KINDS = ['webhook', 'alertmanager', 'ntfy', 'slack', 'discord'] as const;
export type ReceiverKind = (typeof RECEIVER_KINDS)[number];

interface ReceiverBase {
  /** Unique in the file; routes name it, and metrics and the deliveries list show it. */
  name: string;
  /** An http(s) URL; credentials in it (`https://user:pass@…`) are sent as Basic auth. */
  url: string;
}

/** POSTs the alert event's JSON, signed with HMAC-SHA256 when `secret` is set. */
export interface WebhookReceiver extends ReceiverBase {
  kind: 'webhook';
  secret?: string;
}

/** An Alertmanager: `url` is its base (as `--web.external-url`), without `/api/v2`. */
export interface AlertmanagerReceiver extends ReceiverBase {
  kind: 'alertmanager';
}

/** An ntfy topic URL; `token` (an access token, `tk_…`) is sent as `Authorization: Bearer`. */
export interface NtfyReceiver extends ReceiverBase {
  kind: 'ntfy';
  token?: string;
}

/** A Slack incoming webhook. */
export interface SlackReceiver extends ReceiverBase {
  kind: 'slack';
}

/** A Discord channel webhook. */
export interface DiscordReceiver extends ReceiverBase {
  kind: 'discord';
}

export type Receiver =
  WebhookReceiver | AlertmanagerReceiver | NtfyReceiver | SlackReceiver | DiscordReceiver;

/** No receivers and no routes: delivery is off. */
export interface DeliveryConfig {
  receivers: Receiver[];
  routes: Route[];
}

export type DeliveryConfigResult =
  { ok: true; config: DeliveryConfig } | { ok: false; problems: string[] };

export interface DeliveryConfigContext {
  /** Where `${NAME}` in a value is looked up: `process.env` at startup. */
  env: Env;
  /** The names of the rules in force, which a route's `rules` must name. */
  ruleNames: readonly string[];
}

// The settings each kind takes besides `url`.
const KIND_SETTINGS: Record<ReceiverKind, readonly ('secret' | 'token')[]> = {
  webhook: ['secret'],
  alertmanager: [],
  ntfy: ['token'],
  slack: [],
  discord: [],
};

// A Slack or Discord webhook URL carries its own token, and an ntfy topic is its own password
// (ntfy's docs): their URLs are secrets, shown in messages by their origin only.
const SECRET_URL_KINDS: ReadonlySet<ReceiverKind> = new Set(['slack', 'discord', 'ntfy']);

const KINDS_TEXT = RECEIVER_KINDS.join(', ');
const MAX_NAME_LENGTH = 100;

const isMap = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);
const isKind = (key: string): key is ReceiverKind =>
  (RECEIVER_KINDS as readonly string[]).includes(key);

/**
 * The `receivers:` and `routes:` of a parsed alert rules document (beside its `rules:`), with
 * `${NAME}` in any text taken from `context.env`. Every problem is listed, one line each, as
 * `receivers[<index>] (<name>): …` or `routes[<index>]: …`; no value of a secret (a secret, a
 * token, a Slack, Discord or ntfy URL, or anything taken from the environment) is ever shown.
 */
export function parseDeliveryConfig(
  document: unknown,
  context: DeliveryConfigContext,
): DeliveryConfigResult {
  const section = (key: string): unknown => (isMap(document) ? document[key] : undefined);
  const receiversInput = section('receivers') ?? [];
  const routesInput = section('routes') ?? [];
  const problems: string[] = [];
  if (!Array.isArray(receiversInput)) {
    problems.push(`receivers: must be a list, each with a name and one of ${KINDS_TEXT}`);
  }
  if (!Array.isArray(routesInput)) {
    problems.push('routes: must be a list, each with a receiver and optional severity and rules');
  }
  if (!Array.isArray(receiversInput) || !Array.isArray(routesInput)) {
    return { ok: false, problems };
  }

  const receivers: Receiver[] = [];
  const named: { where: string; name: string }[] = [];
  // Every name given, valid or not, so a route to a receiver with a bad name is not also
  // told that its receiver is not defined.
  const declared = new Set<string>();
  const receiverProblems = receiversInput.map((input: unknown, index) => {
    const raw = isMap(input) ? input.name : undefined;
    const where = `receivers[${index}]${typeof raw === 'string' ? ` (${raw})` : ''}`;
    const result = parseReceiver(input, context.env);
    const own = result.problems;
    if (result.declared !== undefined) {
      declared.add(result.declared);
    }
    if (result.name !== undefined) {
      if (named.some(({ name }) => name === result.name)) {
        own.push(`another receiver is already named "${result.name}"`);
      } else {
        named.push({ where, name: result.name });
      }
    }
    if (result.receiver && own.length === 0) {
      receivers.push(result.receiver);
    }
    return own.map((problem) => `${where}: ${problem}`);
  });

  const routes: Route[] = [];
  const rules = new Set(context.ruleNames);
  const routed = new Set<string>();
  let unresolved = false;
  const routeProblems = routesInput.map((input: unknown, index) => {
    const result = parseRoute(input, context.env, declared, rules);
    if (result.receiver === undefined) {
      unresolved = true;
    } else {
      routed.add(result.receiver);
    }
    if (result.route) {
      routes.push(result.route);
    }
    return result.problems.map((problem) => `routes[${index}]: ${problem}`);
  });

  // A receiver no route names gets nothing: it looks configured, but nobody finds out until
  // the night an alert does not arrive, so it is a mistake (a typo, a forgotten route). Left
  // unsaid while some route's receiver is itself unreadable, which is reported already.
  const unused = unresolved
    ? []
    : named
        .filter(({ name }) => !routed.has(name))
        .map(({ where }) => `${where}: no route sends to it (add a route, or remove the receiver)`);

  problems.push(...receiverProblems.flat(), ...routeProblems.flat(), ...unused);
  return problems.length > 0
    ? { ok: false, problems }
    : { ok: true, config: { receivers, routes } };
}

/** The receivers the routes send `change` to, each once, in the order they are defined. */
export function receiversFor(config: DeliveryConfig, change: AlertChange): Receiver[] {
  const names = new Set(
    config.routes.filter((route) => routeMatches(route, change)).map((route) => route.receiver),
  );
  return config.receivers.filter((receiver) => names.has(receiver.name));
}

interface ParsedReceiver {
  receiver?: Receiver;
  /** Its name once substituted, when it has a usable one. */
  name?: string;
  /** Its name once substituted, when it is a text at all. */
  declared?: string;
  problems: string[];
}

function parseReceiver(input: unknown, env: Env): ParsedReceiver {
  if (!isMap(input)) {
    return { problems: [`must be a map with a name and one of ${KINDS_TEXT}`] };
  }
  const problems: string[] = [];
  const name = readSetting(input.name, env);
  if (name.kind === 'absent') {
    problems.push('name is required');
  } else if (name.kind === 'not-text') {
    problems.push('name must be a text');
  } else if (name.kind === 'missing') {
    problems.push(...name.problems);
  } else if (name.value.trim() === '') {
    problems.push('name must not be empty');
  } else if (name.value.length > MAX_NAME_LENGTH) {
    problems.push(`name must be at most ${MAX_NAME_LENGTH} characters`);
  }
  const declared = name.kind === 'text' ? name.value : undefined;
  const validName = declared !== undefined && problems.length === 0 ? declared : undefined;

  const keys = Object.keys(input).filter((key) => key !== 'name');
  const kinds = keys.filter(isKind);
  const others = keys.filter((key) => !isKind(key));
  if (kinds.length === 0) {
    problems.push(
      ...(others.length === 0
        ? [`needs a kind: one of ${KINDS_TEXT}`]
        : others.map((key) => `unknown kind "${key}"; one of ${KINDS_TEXT}`)),
    );
    return { name: validName, declared, problems };
  }
  problems.push(
    ...others.map((key) => `unknown field "${key}" (allowed: name and one of ${KINDS_TEXT})`),
  );
  if (kinds.length > 1) {
    problems.push(`has more than one kind (${kinds.join(', ')}); give each receiver one`);
    return { name: validName, declared, problems };
  }
  const [kind] = kinds as [ReceiverKind];
  const settings = parseSettings(kind, input[kind], env);
  problems.push(...settings.problems);
  if (validName === undefined || settings.url === undefined || problems.length > 0) {
    return { name: validName, declared, problems };
  }
  const { url, secret, token } = settings;
  const receiver: Receiver =
    kind === 'webhook'
      ? { name: validName, kind, url, ...(secret !== undefined && { secret }) }
      : kind === 'ntfy'
        ? { name: validName, kind, url, ...(token !== undefined && { token }) }
        : { name: validName, kind, url };
  return { receiver, name: validName, declared, problems };
}

interface ParsedSettings {
  url?: string;
  secret?: string;
  token?: string;
  problems: string[];
}

function parseSettings(kind: ReceiverKind, input: unknown, env: Env): ParsedSettings {
  const extra = KIND_SETTINGS[kind];
  const example = `{ url: https://…${extra.map((key) => `, ${key}: \${…}`).join('')} }`;
  if (!isMap(input)) {
    return { problems: [`${kind} must be a map such as ${example}`] };
  }
  const allowed = ['url', ...extra];
  const problems = Object.keys(input)
    .filter((key) => !allowed.includes(key))
    .map((key) => `${kind}: unknown field "${key}" (allowed: ${allowed.join(', ')})`);
  const parsed: ParsedSettings = { problems };

  const url = readSetting(input.url, env);
  if (url.kind === 'absent') {
    problems.push(`url is required, as in ${kind}: ${example}`);
  } else if (url.kind === 'not-text') {
    problems.push('url must be a text');
  } else if (url.kind === 'missing') {
    problems.push(...url.problems);
  } else if (url.value.trim() === '') {
    problems.push(`url must not be empty${url.from}`);
  } else if (!isHttpUrl(url.value)) {
    const secret = url.from !== '' || SECRET_URL_KINDS.has(kind);
    problems.push(`url ${shownUrl(url.value, secret)}${url.from} is not an http(s) URL`);
  } else {
    parsed.url = url.value;
  }

  for (const key of extra) {
    const value = readSetting(input[key], env);
    if (value.kind === 'not-text') {
      // A number in YAML (secret: 0123) would lose digits on the way: ask for quotes instead.
      problems.push(`${key} must be a text (quote it)`);
    } else if (value.kind === 'missing') {
      problems.push(...value.problems);
    } else if (value.kind === 'text' && value.value === '') {
      problems.push(`${key} must not be empty${value.from}`);
    } else if (value.kind === 'text') {
      parsed[key] = value.value;
    }
  }
  return parsed;
}

function isHttpUrl(text: string): boolean {
  try {
    const { protocol } = new URL(text);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}
