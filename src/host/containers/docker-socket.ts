import { existsSync } from 'node:fs';

/** Where Docker listens by default (and Podman's podman-docker package links its socket). */
export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';

/**
 * The Docker/Podman API socket to read container names from: VITALS_DOCKER_SOCKET when set
 * (even to a path that does not exist yet: the directory says so and retries), else the default
 * socket only when it exists, else undefined (containers are listed by id, without names).
 * `off` (or an empty value) turns the lookup off.
 */
export function dockerSocketPath(
  configured: string | undefined,
  exists: (path: string) => boolean = existsSync,
): string | undefined {
  if (configured !== undefined) {
    const path = configured.trim();
    return path === '' || path === 'off' ? undefined : path;
  }
  return exists(DEFAULT_DOCKER_SOCKET) ? DEFAULT_DOCKER_SOCKET : undefined;
}
