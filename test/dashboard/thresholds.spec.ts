import { levelOf, thresholdsFrom } from '../../public/js/thresholds.js';

describe('the dashboard thresholds', () => {
  const rules = [
    { name: 'memory', metric: 'memory.usage', warning: 80, critical: 95 },
    { name: 'memory-early', metric: 'memory.usage', warning: 70 },
    { name: 'disks', metric: 'disks[].usage', critical: 90 },
  ];

  it('should keep the lowest threshold of each level when several rules watch one metric', () => {
    const thresholds = thresholdsFrom(rules);

    expect(thresholds.get('memory.usage')).toEqual({ warning: 70, critical: 95 });
    expect(thresholds.get('disks[].usage')).toEqual({ warning: null, critical: 90 });
  });

  it.each([
    [69.9, ''],
    [70, 'warning'],
    [94.9, 'warning'],
    [95, 'critical'],
  ])('should put memory usage %p at level %p', (value, level) => {
    expect(levelOf(thresholdsFrom(rules), 'memory.usage', value)).toBe(level);
  });

  it('should leave a value uncoloured when no rule watches it or it is not a number', () => {
    const thresholds = thresholdsFrom(rules);

    expect(levelOf(thresholds, 'cpu.usage', 100)).toBe('');
    expect(levelOf(thresholds, 'memory.usage', null)).toBe('');
    expect(levelOf(thresholds, 'disks[].usage', 89)).toBe('');
  });

  it('should have no thresholds when the rules are missing or malformed', () => {
    expect(thresholdsFrom(undefined).size).toBe(0);
    expect(thresholdsFrom([null, { warning: 1 }, 'x']).size).toBe(0);
  });
});
