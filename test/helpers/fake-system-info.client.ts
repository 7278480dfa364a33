import type { HostGroup, HostReading } from '../../src/hub/sample.js';
import { hostReading } from './readings.js';

/**
 * Stands in for SystemInfoClient in e2e tests: deterministic readings (CPU usage 7, 14, 21 …
 * per tick), a count of reads (so a test can prove requests never trigger sampling) and
 * switches to make reads fail: all of them, or some groups'.
 */
export class FakeSystemInfoClient {
  /** Ticks read (cpu reads). */
  reads = 0;
  failing = false;
  /** Groups whose reads fail, the others going on. */
  readonly failingGroups = new Set<HostGroup>();

  /** `cores`: how many per-core values each reading carries (large makes large frames). */
  constructor(private readonly cores = 2) {}

  read(groups: readonly HostGroup[]): Promise<Partial<HostReading>> {
    if (this.failing || groups.some((group) => this.failingGroups.has(group))) {
      return Promise.reject(new Error('simulated host read failure'));
    }
    if (groups.includes('cpu')) {
      this.reads++;
    }
    const reading = hostReading((this.reads * 7) % 100);
    if (this.cores !== reading.cpu.cores.length) {
      reading.cpu.cores = new Array<number>(this.cores).fill(reading.cpu.usage);
      reading.cpu.count = this.cores;
    }
    return Promise.resolve(Object.fromEntries(groups.map((group) => [group, reading[group]])));
  }
}
