import { hostname } from 'node:os';
import { InvalidEnvironmentError } from './invalid-environment.error.js';
import { unknownVariables, validateEnvironment } from './validate-environment.js';

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

  it('should name unknown VITALS_ variables when one is misspelt', () => {
    expect(unknownVariables({ VITALS_INTERVAL: '500', VITALS_PORT: '1', HOME: '/root' })).toEqual([
      'VITALS_INTERVAL',
    ]);
  });
});
