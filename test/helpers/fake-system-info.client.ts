import type { HostReading } from '../../src/metrics/sample.js';

/**
 * Stands in for SystemInfoClient in e2e tests: deterministic readings, a count of reads (so a
 * test can prove requests never trigger sampling) and a switch to make reads fail.
 */
export class FakeSystemInfoClient {
  reads = 0;
  failing = false;

  read(): Promise<HostReading> {
    if (this.failing) {
      return Promise.reject(new Error('simulated host read failure'));
    }
    this.reads++;
    const usage = (this.reads * 7) % 100;
    return Promise.resolve({
      cpu: {
        usage,
        user: usage / 2,
        system: usage / 2,
        iowait: 0,
        steal: 0,
        idle: 100 - usage,
        cores: [usage, usage],
        load: [0.5, 0.25, 0.125],
        count: 2,
      },
      memory: {
        total: 8 * 1024 ** 3,
        used: 2 * 1024 ** 3,
        available: 6 * 1024 ** 3,
        usage: 25,
        swapTotal: 0,
        swapUsed: 0,
        swapUsage: null,
      },
    });
  }
}
