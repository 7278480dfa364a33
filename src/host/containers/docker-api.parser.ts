import type { ContainerRuntime } from '../../hub/dto/container-stats.dto.js';

// The answers of the Docker (or Podman) API, checked before use: a confused daemon is an
// Error naming what is wrong, never a value of the wrong type.

/** The runtimes that serve the Docker Engine API on a socket. */
export type DockerRuntime = Extract<ContainerRuntime, 'docker' | 'podman'>;

/** What answers on the socket (`GET /version`). */
export interface DockerVersion {
  runtime: DockerRuntime;
  version: string;
  apiVersion: string;
}

/** A running container (`GET /containers/json`). */
export interface DockerContainer {
  /** The full id, 64 hex characters. */
  id: string;
  /** Its own name, as `docker ps` shows it: the first of `names` without a "/" in it. */
  name: string;
  /** Its names without Docker's leading "/"; legacy links add aliases such as "web/db". */
  names: string[];
  image: string;
  labels: Record<string, string>;
  state: string;
}

/** One entry of the events stream: only what tells that something changed. */
export interface DockerEvent {
  type: string;
  action: string;
  /** The container's full id, when the event names one. */
  id: string | undefined;
}

const FULL_ID = /^[0-9a-f]{64}$/;

type Json = Record<string, unknown>;
export const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isStringList = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');
const isStringMap = (value: unknown): value is Record<string, string> =>
  isRecord(value) && Object.values(value).every((item) => typeof item === 'string');

/** `GET /version`: which runtime answers (Podman names its "Podman Engine" component). */
export function parseVersion(body: unknown): DockerVersion {
  if (!isRecord(body) || typeof body.Version !== 'string' || typeof body.ApiVersion !== 'string') {
    throw new Error('GET /version: not a version (no Version or ApiVersion)');
  }
  // Components came with Engine 17.06; older daemons are Docker.
  const components = body.Components ?? [];
  if (!Array.isArray(components) || !components.every((c) => isRecord(c))) {
    throw new Error('GET /version: Components is not a list of objects');
  }
  const podman = components.some((component) => component.Name === 'Podman Engine');
  return {
    runtime: podman ? 'podman' : 'docker',
    version: body.Version,
    apiVersion: body.ApiVersion,
  };
}

/** `GET /containers/json`: the running containers, each checked. */
export function parseContainers(body: unknown): DockerContainer[] {
  if (!Array.isArray(body)) {
    throw new Error('GET /containers/json: not a list');
  }
  return body.map((item: unknown, index) => {
    const problem = (what: string) =>
      new Error(`GET /containers/json: container ${index}: ${what}`);
    if (!isRecord(item)) {
      throw problem('not an object');
    }
    const { Id: id, Names: names, Image: image, Labels: labels, State: state } = item;
    if (typeof id !== 'string' || !FULL_ID.test(id)) {
      throw problem('Id is not 64 hex characters');
    }
    if (!isStringList(names) || names.length === 0) {
      throw problem('Names is not a list of names');
    }
    if (typeof image !== 'string') {
      throw problem('Image is not a string');
    }
    // Podman answers null for a container without labels.
    if (labels !== null && labels !== undefined && !isStringMap(labels)) {
      throw problem('Labels is not a map of strings');
    }
    if (typeof state !== 'string') {
      throw problem('State is not a string');
    }
    const stripped = names.map((name) => name.replace(/^\//, ''));
    return {
      id,
      name: stripped.find((name) => !name.includes('/')) ?? stripped[0] ?? id.slice(0, 12),
      names: stripped,
      image,
      labels: labels ?? {},
      state,
    };
  });
}

/** One line of the `GET /events` stream. */
export function parseEvent(line: string): DockerEvent {
  let event: unknown;
  try {
    event = JSON.parse(line);
  } catch {
    throw new Error('an event is not JSON');
  }
  if (!isRecord(event) || typeof event.Type !== 'string' || typeof event.Action !== 'string') {
    throw new Error('an event has no Type or Action');
  }
  const actor = event.Actor;
  const id = isRecord(actor) && typeof actor.ID === 'string' ? actor.ID : undefined;
  return { type: event.Type, action: event.Action, id };
}
