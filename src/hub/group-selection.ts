import { SAMPLE_GROUPS, type SampleGroup } from './sample-group.js';
import type { Sample } from './sample.js';
import type { SampleProjection } from './sample-projection.js';

/** A `groups=` choice: the sample's always-present fields plus the chosen groups. */
export class GroupSelection implements SampleProjection {
  // At most one instance per distinct choice (2^groups of them), shared by every reader.
  private static readonly cache = new Map<string, GroupSelection>();
  static readonly ALL = GroupSelection.of(SAMPLE_GROUPS);

  readonly eventType = 'sample';

  private constructor(
    readonly key: string,
    readonly groups: readonly SampleGroup[],
  ) {}

  /** The selection of `groups` in canonical order; every group when undefined. */
  static of(groups: readonly SampleGroup[] | undefined): GroupSelection {
    const chosen = groups ? SAMPLE_GROUPS.filter((group) => groups.includes(group)) : SAMPLE_GROUPS;
    const key = chosen.join(',');
    let selection = GroupSelection.cache.get(key);
    if (!selection) {
      selection = new GroupSelection(key, chosen);
      GroupSelection.cache.set(key, selection);
    }
    return selection;
  }

  get isAll(): boolean {
    return this.groups.length === SAMPLE_GROUPS.length;
  }

  project(sample: Sample): Partial<Sample> {
    if (this.isAll) {
      return sample;
    }
    const projected: Partial<Sample> = {
      id: sample.id,
      timestamp: sample.timestamp,
      host: sample.host,
    };
    for (const group of this.groups) {
      Object.assign(projected, { [group]: sample[group] });
    }
    return projected;
  }
}
