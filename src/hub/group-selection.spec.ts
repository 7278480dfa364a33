import { SAMPLE_GROUPS } from './sample-group.js';
import { GroupSelection } from './group-selection.js';

describe('GroupSelection', () => {
  it('should be one shared instance per choice when groups come in any order', () => {
    const a = GroupSelection.of(['memory', 'cpu']);
    const b = GroupSelection.of(['cpu', 'memory']);

    expect(a).toBe(b);
    expect(a.groups).toEqual(['cpu', 'memory']);
    expect(GroupSelection.of([...SAMPLE_GROUPS].reverse())).toBe(GroupSelection.ALL);
    expect(GroupSelection.of(undefined)).toBe(GroupSelection.ALL);
  });

  it('should list groups in canonical order when built from a subset', () => {
    const selection = GroupSelection.of(['memory']);

    expect(selection.groups).toEqual(['memory']);
    expect(selection.key).toBe('memory');
    expect(selection.isAll).toBe(false);
  });
});
