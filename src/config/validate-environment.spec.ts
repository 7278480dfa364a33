import { hostname } from 'node:os';
import { InvalidEnvironmentError } from './invalid-environment.error.js';
import { isLoopback, unknownVariables, validateEnvironment } from './validate-environment.js';

const problemsOf = (raw: Record<string, string>): readonly string[] => {
  try {
    validateEnvironment(raw);
    return [];
  } catch (error) {
    return (error as InvalidEnvironmentError).problems;
  }
};

describe('validateEnvironment', () => {
  it('should apply the contract defaults when nothing is set', () => {
    const env = validateEnvironment({});

    expect(env).toMatchObject({
      VITALS_HOST: '127.0.0.1',
      VITALS_PORT: 3000,
      VITALS_HOST_NAME: hostname(),
      VITALS_INTERVAL_MS: 1000,
      VITALS_PROCFS: '/proc',
      VITALS_SYSFS: '/sys',
      VITALS_HEARTBEAT_MS: 15000,
      VITALS_LOG_LEVEL: 'log',
      VITALS_LOG_FORMAT: 'text',
    });
  });

  it('should convert numbers and keep strings when values are valid', () => {
    const env = validateEnvironment({
      VITALS_HOST: '0.0.0.0',
      VITALS_PORT: '0',
      VITALS_INTERVAL_MS: '250',
      VITALS_PROCFS: '/host/proc',
      VITALS_HOST_NAME: 'web-1',
      VITALS_TOKEN: 'a-token-of-16-chars',
      PATH: '/usr/bin',
    });

    expect(env).toMatchObject({
      VITALS_HOST: '0.0.0.0',
      VITALS_PORT: 0,
      VITALS_INTERVAL_MS: 250,
      VITALS_PROCFS: '/host/proc',
      VITALS_HOST_NAME: 'web-1',
    });
  });

  it('should treat an empty variable as unset when it is blank', () => {
    expect(validateEnvironment({ VITALS_PORT: '' }).VITALS_PORT).toBe(3000);
  });

  it('should list every bad variable with its value and what is allowed when several are invalid', () => {
    let problems: readonly string[] = [];
    try {
      validateEnvironment({
        VITALS_INTERVAL_MS: '10',
        VITALS_PORT: '3e3',
        VITALS_PROCFS: 'proc',
        VITALS_HOST: 'not a host!',
        VITALS_LOG_FORMAT: 'xml',
      });
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidEnvironmentError);
      problems = (error as InvalidEnvironmentError).problems;
    }

    expect([...problems].sort()).toEqual([
      'VITALS_HOST="not a host!" is invalid: must be an IP address or a host name, e.g. 127.0.0.1, 0.0.0.0 or ::',
      'VITALS_INTERVAL_MS="10" is invalid: must be an integer from 250 to 60000',
      'VITALS_LOG_FORMAT="xml" is invalid: must be one of text, json',
      'VITALS_PORT="3e3" is invalid: must be an integer from 0 to 65535',
      'VITALS_PROCFS="proc" is invalid: must be an absolute path',
    ]);
  });

  it('should take a socket path, a socket proxy or off for VITALS_DOCKER_SOCKET, and nothing else', () => {
    for (const value of ['/run/podman/podman.sock', 'http://docker-proxy:2375', 'off']) {
      expect(validateEnvironment({ VITALS_DOCKER_SOCKET: value }).VITALS_DOCKER_SOCKET).toBe(value);
    }
    const allowed = 'must be an absolute socket path, http://host:port (a socket proxy) or "off"';
    for (const value of [
      'docker.sock',
      'tcp://docker:2375',
      'http://u:p@proxy:2375',
      'http://proxy/v1',
    ]) {
      expect(problemsOf({ VITALS_DOCKER_SOCKET: value })).toEqual([
        `VITALS_DOCKER_SOCKET="${value}" is invalid: ${allowed}`,
      ]);
    }
  });

  it('should take a command on PATH, an absolute path or off for VITALS_NVIDIA_SMI, and nothing else', () => {
    expect(validateEnvironment({}).VITALS_NVIDIA_SMI).toBe('nvidia-smi');
    for (const value of ['nvidia-smi', '/usr/bin/nvidia-smi', 'off']) {
      expect(validateEnvironment({ VITALS_NVIDIA_SMI: value }).VITALS_NVIDIA_SMI).toBe(value);
    }
    const allowed = 'must be a command on PATH (e.g. nvidia-smi), an absolute path to it, or "off"';
    for (const value of ['bin/nvidia-smi', './nvidia-smi', 'nvidia-smi -L']) {
      expect(problemsOf({ VITALS_NVIDIA_SMI: value })).toEqual([
        `VITALS_NVIDIA_SMI="${value}" is invalid: ${allowed}`,
      ]);
    }
  });

  it('should take a duration from 1s to 366d for VITALS_HOST_TTL, and nothing else', () => {
    expect(validateEnvironment({}).VITALS_HOST_TTL).toBe('24h');
    for (const value of ['30s', '15m', '7d', '1h30m']) {
      expect(validateEnvironment({ VITALS_HOST_TTL: value }).VITALS_HOST_TTL).toBe(value);
    }
    const allowed = 'must be a duration from 1s to 366d, e.g. 30s, 15m, 24h or 7d';
    for (const value of ['24', '500ms', '367d', 'a day', '-1h']) {
      expect(problemsOf({ VITALS_HOST_TTL: value })).toEqual([
        `VITALS_HOST_TTL="${value}" is invalid: ${allowed}`,
      ]);
    }
  });

  it('should name unknown VITALS_ variables when one is misspelt', () => {
    expect(unknownVariables({ VITALS_INTERVAL: '500', VITALS_PORT: '1', HOME: '/root' })).toEqual([
      'VITALS_INTERVAL',
    ]);
  });

  describe('binding beyond this machine', () => {
    it.each(['0.0.0.0', '::', '192.168.1.10', 'vitals.example.com'])(
      'should refuse %s without a token, saying how to set one',
      (host) => {
        expect(problemsOf({ VITALS_HOST: host })).toEqual([
          `VITALS_HOST=${host} makes vitals reachable from other machines, but no VITALS_TOKEN ` +
            'is set: set one (e.g. VITALS_TOKEN=$(openssl rand -hex 32)), or set ' +
            'VITALS_AUTH=none to serve without authentication on purpose',
        ]);
      },
    );

    it('should start with a token, or open when VITALS_AUTH=none says so', () => {
      expect(problemsOf({ VITALS_HOST: '0.0.0.0', VITALS_TOKEN: 'x'.repeat(32) })).toEqual([]);
      expect(problemsOf({ VITALS_HOST: '0.0.0.0', VITALS_AUTH: 'none' })).toEqual([]);
    });

    it.each(['127.0.0.1', '127.1.2.3', '::1', 'localhost'])(
      'should count %s as loopback, where no token is needed',
      (host) => {
        expect(isLoopback(host)).toBe(true);
        expect(problemsOf({ VITALS_HOST: host })).toEqual([]);
      },
    );

    it('should refuse a short token, one with spaces, and an unknown auth mode', () => {
      expect(problemsOf({ VITALS_TOKEN: 'short', VITALS_AUTH: 'basic' })).toEqual([
        'VITALS_TOKEN=(hidden) is invalid: must be 16 to 1024 characters (e.g. openssl rand -hex 32)',
        'VITALS_AUTH="basic" is invalid: must be one of token, none',
      ]);
      expect(problemsOf({ VITALS_TOKEN: 'has a space in it ok' })).toEqual([
        'VITALS_TOKEN=(hidden) is invalid: must be printable ASCII without spaces',
      ]);
    });
  });

  it('should take a list of origins for CORS and refuse anything that is not one', () => {
    const ok = validateEnvironment({
      VITALS_CORS_ORIGINS: 'https://grafana.example.com, http://localhost:5173',
    });

    expect(ok.VITALS_CORS_ORIGINS).toBe('https://grafana.example.com, http://localhost:5173');
    for (const bad of ['*', 'grafana.example.com', 'https://a.example/path', 'ftp://a.example']) {
      expect(() => validateEnvironment({ VITALS_CORS_ORIGINS: bad })).toThrow(
        'must be comma-separated origins',
      );
    }
  });

  it('should take hop counts, addresses, subnets and names for VITALS_TRUST_PROXY, and nothing else', () => {
    expect(validateEnvironment({}).VITALS_TRUST_PROXY).toBe('loopback');
    for (const ok of [
      '0',
      '1',
      'loopback,172.16.0.0/12',
      '10.0.0.7',
      'fd00::/8, ::1',
      'uniquelocal',
    ]) {
      expect(validateEnvironment({ VITALS_TRUST_PROXY: ok }).VITALS_TRUST_PROXY).toBe(ok);
    }
    for (const bad of [
      'true',
      '*',
      '-1',
      '100',
      '10.0.0.0/33',
      'fd00::/129',
      '10.0.0.1/8/8',
      'lan',
    ]) {
      expect(problemsOf({ VITALS_TRUST_PROXY: bad })).toEqual([
        expect.stringMatching(/^VITALS_TRUST_PROXY=.* must be a hop count \(0-99\)/),
      ]);
    }
  });

  describe('many hosts', () => {
    it('should run standalone without Redis, and take a Redis URL for an agent or a gateway', () => {
      expect(validateEnvironment({})).toMatchObject({
        VITALS_MODE: 'standalone',
        VITALS_REDIS_STREAM: 'vitals:events',
        VITALS_REDIS_MAXLEN: 20000,
        VITALS_AGENT_BUFFER: 3600,
      });
      for (const mode of ['agent', 'gateway']) {
        expect(
          validateEnvironment({ VITALS_MODE: mode, VITALS_REDIS_URL: 'rediss://:pw@cache:6380/1' }),
        ).toMatchObject({ VITALS_MODE: mode });
      }
    });

    it('should refuse an agent or gateway without VITALS_REDIS_URL, saying what to set', () => {
      expect(problemsOf({ VITALS_MODE: 'gateway' })).toEqual([
        'VITALS_MODE=gateway needs VITALS_REDIS_URL (e.g. redis://127.0.0.1:6379)',
      ]);
    });

    it('should refuse a bad mode and a bad Redis URL without echoing its password', () => {
      expect(
        problemsOf({ VITALS_MODE: 'hub', VITALS_REDIS_URL: 'http://:secret@cache:6379' }),
      ).toEqual([
        'VITALS_MODE="hub" is invalid: must be one of standalone, agent, gateway',
        'VITALS_REDIS_URL=(hidden) is invalid: must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379',
      ]);
      expect(problemsOf({ VITALS_REDIS_MAXLEN: '10', VITALS_AGENT_BUFFER: '0' })).toEqual([
        'VITALS_REDIS_MAXLEN="10" is invalid: must be an integer from 100 to 10000000',
        'VITALS_AGENT_BUFFER="0" is invalid: must be an integer from 1 to 1000000',
      ]);
    });
  });

  describe('rollups', () => {
    it('should default to three tiers in ./data, and take off, a subset and a Postgres URL', () => {
      expect(validateEnvironment({})).toMatchObject({
        VITALS_ROLLUPS: '1m:7d,15m:90d,1h:2y',
        VITALS_DATA_DIR: './data',
        VITALS_ROLLUP_URL: undefined,
      });
      expect(problemsOf({ VITALS_ROLLUPS: 'off' })).toEqual([]);
      expect(problemsOf({ VITALS_ROLLUPS: '1h:5y, 1m:36h' })).toEqual([]);
      expect(problemsOf({ VITALS_ROLLUP_URL: 'postgresql://vitals:pw@db:5432/vitals' })).toEqual(
        [],
      );
    });

    it('should refuse a tier list of another shape and a URL not postgres, hiding the URL', () => {
      expect(problemsOf({ VITALS_ROLLUPS: '5m:7d' })).toEqual([
        expect.stringContaining('VITALS_ROLLUPS="5m:7d" is invalid: must be "off" or'),
      ]);
      expect(problemsOf({ VITALS_ROLLUP_URL: 'mysql://root:hunter2@db/vitals' })).toEqual([
        'VITALS_ROLLUP_URL=(hidden) is invalid: must be a postgres:// or postgresql:// URL, e.g. postgres://vitals:secret@db:5432/vitals',
      ]);
    });
  });
});
