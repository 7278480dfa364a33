import { DEFAULT_DOCKER_SOCKET, dockerSocketPath } from './docker-socket.js';

describe('dockerSocketPath', () => {
  const exists = (path: string) => path === DEFAULT_DOCKER_SOCKET;
  const absent = () => false;

  it('should use VITALS_DOCKER_SOCKET when it is set, whether or not the file exists yet', () => {
    expect(dockerSocketPath('/run/podman/podman.sock', absent)).toBe('/run/podman/podman.sock');
    expect(dockerSocketPath('/run/podman/podman.sock', exists)).toBe('/run/podman/podman.sock');
  });

  it('should use /var/run/docker.sock when the variable is unset and the socket exists', () => {
    expect(dockerSocketPath(undefined, exists)).toBe('/var/run/docker.sock');
  });

  it('should use no socket when the variable is unset and /var/run/docker.sock is absent', () => {
    expect(dockerSocketPath(undefined, absent)).toBeUndefined();
  });

  it('should use no socket when the variable is off or empty, even with /var/run/docker.sock there', () => {
    expect(dockerSocketPath('off', exists)).toBeUndefined();
    expect(dockerSocketPath('', exists)).toBeUndefined();
    expect(dockerSocketPath('  ', exists)).toBeUndefined();
  });
});
