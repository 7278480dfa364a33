import type { Logger } from '@nestjs/common';
import { errorMessage } from '../common/error-message.js';
import type { HostGroup } from '../hub/sample.js';

/**
 * The sampler's account of failed group reads: failures of each group since start, the groups
 * failing now, and a log line once per change of state, so that a group failing every tick does
 * not flood the log.
 */
export class GroupFailures {
  private readonly total = new Map<HostGroup, number>();
  /** Failed reads in a row, for the groups failing now. */
  private readonly inARow = new Map<HostGroup, number>();

  /** Counts every group from 0; a failed read of one of `slowGroups` keeps its last value. */
  constructor(
    private readonly logger: Logger,
    tickGroups: readonly HostGroup[],
    private readonly slowGroups: ReadonlySet<HostGroup>,
  ) {
    for (const group of [...tickGroups, ...slowGroups]) {
      this.total.set(group, 0);
    }
  }

  /** Failed reads of each group since start. */
  get counts(): Partial<Record<HostGroup, number>> {
    return Object.fromEntries(this.total);
  }

  /** Groups whose latest read failed. */
  get failing(): HostGroup[] {
    return [...this.inARow.keys()];
  }

  failed(group: HostGroup, error: unknown): void {
    this.total.set(group, (this.total.get(group) ?? 0) + 1);
    const inARow = (this.inARow.get(group) ?? 0) + 1;
    this.inARow.set(group, inARow);
    const consequence = this.slowGroups.has(group)
      ? 'its last value is kept until it recovers'
      : 'it is null until it recovers';
    if (inARow === 1) {
      this.logger.warn(`Reading ${group} failed: ${errorMessage(error)}; ${consequence}`);
    } else {
      this.logger.debug(
        `Reading ${group} failed again (${inARow} in a row): ${errorMessage(error)}`,
      );
    }
  }

  succeeded(group: HostGroup): void {
    const failures = this.inARow.get(group);
    if (failures !== undefined) {
      this.inARow.delete(group);
      this.logger.log(`Reading ${group} recovered after ${failures} failed reads`);
    }
  }
}
