import {
  DEFAULT_SORT,
  breakSparks,
  clearSparks,
  containerLabel,
  createSparkHistory,
  markOf,
  nextSort,
  parseSort,
  recordContainers,
  rowFigures,
  sortContainers,
  sortText,
  sparkPath,
  sparkTop,
} from '../../public/js/containers.js';
import { DASH } from '../../public/js/format.js';

type ContainerStats = Parameters<typeof containerLabel>[0];
type Sort = Parameters<typeof sortContainers>[1];

const MiB = 1024 ** 2;

/** A container with every figure read; `overrides` changes some. */
const container = (overrides: Partial<ContainerStats> = {}): ContainerStats => ({
  id: '3f2a9c1b7d4e',
  name: 'web',
  image: 'nginx:1.27',
  runtime: 'docker',
  cgroup: '/system.slice/docker-3f2a9c1b7d4e.scope',
  pod: null,
  cpu: 45,
  cpuLimit: 2,
  memory: 100 * MiB,
  memoryLimit: 512 * MiB,
  memoryUsage: 19.53,
  rxBytesPerSec: 1000,
  txBytesPerSec: 200,
  networkFrom: null,
  readBytesPerSec: 0,
  writeBytesPerSec: 4096,
  pids: 12,
  ...overrides,
});

const noRules = () => '' as const;
const ids = (list: ContainerStats[]) => list.map((c) => c.id);

describe('the dashboard containers: sorting', () => {
  const web = container({ id: 'aaaaaaaaaaaa', name: 'web', cpu: 45, memory: 300, pids: 3 });
  const unnamed = container({ id: 'bbbbbbbbbbbb', name: null, cpu: null, memory: 100, pids: 9 });
  const db = container({ id: 'cccccccccccc', name: 'db', cpu: 120, memory: null, pids: 5 });
  const api = container({ id: 'dddddddddddd', name: 'api', cpu: 45, memory: 200, pids: 1 });
  const all = [web, unnamed, db, api];

  it.each<[Sort, string[]]>([
    [
      { key: 'cpu', direction: 'descending' },
      ['cccccccccccc', 'dddddddddddd', 'aaaaaaaaaaaa', 'bbbbbbbbbbbb'],
    ],
    [
      { key: 'cpu', direction: 'ascending' },
      ['dddddddddddd', 'aaaaaaaaaaaa', 'cccccccccccc', 'bbbbbbbbbbbb'],
    ],
    [
      { key: 'memory', direction: 'descending' },
      ['aaaaaaaaaaaa', 'dddddddddddd', 'bbbbbbbbbbbb', 'cccccccccccc'],
    ],
    [
      { key: 'pids', direction: 'ascending' },
      ['dddddddddddd', 'aaaaaaaaaaaa', 'cccccccccccc', 'bbbbbbbbbbbb'],
    ],
    // Labels: web, bbbbbbbbbbbb (its id: no name), db, api.
    [
      { key: 'name', direction: 'ascending' },
      ['dddddddddddd', 'bbbbbbbbbbbb', 'cccccccccccc', 'aaaaaaaaaaaa'],
    ],
    [
      { key: 'name', direction: 'descending' },
      ['aaaaaaaaaaaa', 'cccccccccccc', 'bbbbbbbbbbbb', 'dddddddddddd'],
    ],
  ])('should order by %j, ties by name and nulls last, when sorting', (sort, expected) => {
    const sorted = sortContainers(all, sort);

    expect(ids(sorted)).toEqual(expected);
  });

  it('should give the same order whatever order the host lists them in when values tie', () => {
    const twins = [
      container({ id: '000000000002', name: 'b', cpu: 10 }),
      container({ id: '000000000001', name: 'b', cpu: 10 }),
      container({ id: '000000000003', name: 'a', cpu: 10 }),
    ];

    const once = sortContainers(twins, DEFAULT_SORT);
    const reversed = sortContainers([...twins].reverse(), DEFAULT_SORT);

    expect(ids(once)).toEqual(['000000000003', '000000000001', '000000000002']);
    expect(ids(reversed)).toEqual(ids(once));
    expect(ids(twins)).toEqual(['000000000002', '000000000001', '000000000003']); // not sorted in place
  });

  it('should sort names with numbers in them as people count when sorting by name', () => {
    const list = [container({ id: 'a', name: 'web-10' }), container({ id: 'b', name: 'web-2' })];

    const sorted = sortContainers(list, { key: 'name', direction: 'ascending' });

    expect(sorted.map(containerLabel)).toEqual(['web-2', 'web-10']);
  });

  it("should sort network by in plus out, and a container sharing another one's last", () => {
    const list = [
      container({ id: 'a', rxBytesPerSec: 100, txBytesPerSec: 100 }), // 200
      container({ id: 'b', rxBytesPerSec: 150, txBytesPerSec: null }), // 150
      container({ id: 'c', rxBytesPerSec: null, txBytesPerSec: null, networkFrom: 'a' }),
      container({ id: 'd', rxBytesPerSec: 50, txBytesPerSec: 250 }), // 300
    ];

    const down = sortContainers(list, { key: 'network', direction: 'descending' });
    const up = sortContainers(list, { key: 'network', direction: 'ascending' });

    expect(ids(down)).toEqual(['d', 'a', 'b', 'c']);
    expect(ids(up)).toEqual(['b', 'a', 'd', 'c']);
  });

  it('should sort disk I/O by read plus write when sorting by disk', () => {
    const list = [
      container({ id: 'a', readBytesPerSec: 10, writeBytesPerSec: 0 }), // 10
      container({ id: 'b', readBytesPerSec: 0, writeBytesPerSec: 30 }), // 30
      container({ id: 'c', readBytesPerSec: null, writeBytesPerSec: null }),
    ];

    expect(ids(sortContainers(list, { key: 'disk', direction: 'descending' }))).toEqual([
      'b',
      'a',
      'c',
    ]);
  });

  it.each<[Sort, Parameters<typeof nextSort>[1], Sort]>([
    [DEFAULT_SORT, 'cpu', { key: 'cpu', direction: 'ascending' }],
    [{ key: 'cpu', direction: 'ascending' }, 'cpu', { key: 'cpu', direction: 'descending' }],
    [DEFAULT_SORT, 'name', { key: 'name', direction: 'ascending' }],
    [{ key: 'name', direction: 'ascending' }, 'pids', { key: 'pids', direction: 'descending' }],
  ])('should go from %j to %j when %p is clicked', (sort, key, expected) => {
    expect(nextSort(sort, key)).toEqual(expected);
  });

  it('should read back the sort it stored, and fall back to CPU descending on anything else', () => {
    const sort: Sort = { key: 'memory', direction: 'ascending' };

    expect(sortText(sort)).toBe('memory:ascending');
    expect(parseSort(sortText(sort))).toEqual(sort);
    for (const stored of [null, '', 'memory', 'memory:up', 'size:ascending', 42]) {
      expect(parseSort(stored)).toEqual({ key: 'cpu', direction: 'descending' });
    }
  });
});

describe('the dashboard containers: row figures', () => {
  it('should show its figures and shares of its limits when every figure is read', () => {
    const f = rowFigures(container(), new Map(), noRules);

    expect(f).toEqual({
      label: 'web',
      named: true,
      detail: 'nginx:1.27',
      runtime: 'docker',
      cpu: '45.0 %',
      cpuLimit: '22.5 % of 2 cores', // 45 % of one core over 2 cores
      cpuMark: { level: '', mark: '' },
      memory: '100.0 MiB',
      memoryLimit: '19.5 % of 512.0 MiB',
      memoryMark: { level: '', mark: '' },
      sharedWith: null,
      rx: '1000 B/s',
      tx: '200 B/s',
      read: '0 B/s',
      write: '4.0 KiB/s',
      pids: '12',
    });
  });

  it('should show the id, no limit lines and dashes when it has no name, limits or readings', () => {
    const f = rowFigures(
      container({
        name: null,
        image: null,
        cpu: null,
        cpuLimit: null,
        memory: null,
        memoryLimit: null,
        memoryUsage: null,
        rxBytesPerSec: null,
        txBytesPerSec: null,
        readBytesPerSec: null,
        writeBytesPerSec: null,
        pids: null,
      }),
      new Map(),
      noRules,
    );

    expect(f).toMatchObject({
      label: '3f2a9c1b7d4e',
      named: false,
      detail: '',
      cpu: DASH,
      cpuLimit: '',
      memory: DASH,
      memoryLimit: '',
      rx: DASH,
      tx: DASH,
      read: DASH,
      write: DASH,
      pids: DASH,
    });
  });

  it('should state the limit alone when the limit is known but not the reading', () => {
    const f = rowFigures(container({ cpu: null, memoryUsage: null }), new Map(), noRules);

    expect(f.cpuLimit).toBe('limit 2 cores');
    expect(f.memoryLimit).toBe('limit 512.0 MiB');
  });

  it('should count cores as people do when the limit is one or a fraction', () => {
    const one = rowFigures(container({ cpu: 50, cpuLimit: 1 }), new Map(), noRules);
    const half = rowFigures(container({ cpu: 20, cpuLimit: 0.5 }), new Map(), noRules);

    expect(one.cpuLimit).toBe('50.0 % of 1 core');
    expect(half.cpuLimit).toBe('40.0 % of 0.5 cores'); // 20 / 0.5
  });

  it('should name whose network it shares instead of rates when networkFrom is set', () => {
    const labels = new Map([['aaaaaaaaaaaa', 'pod-infra']]);

    const known = rowFigures(container({ networkFrom: 'aaaaaaaaaaaa' }), labels, noRules);
    const unknown = rowFigures(container({ networkFrom: 'eeeeeeeeeeee' }), labels, noRules);

    expect(known).toMatchObject({ sharedWith: 'pod-infra', rx: DASH, tx: DASH });
    expect(unknown.sharedWith).toBe('eeeeeeeeeeee');
  });

  it('should mark memory near its limit in words when no rule watches it', () => {
    const f = rowFigures(container({ memoryUsage: 92 }), new Map(), noRules);

    expect(f.memoryMark).toEqual({ level: 'warning', mark: 'near limit' });
    expect(f.memoryLimit).toBe('92.0 % of 512.0 MiB');
  });

  it('should mark CPU near its limit when it uses 90 % of its cores or more', () => {
    const near = rowFigures(container({ cpu: 45, cpuLimit: 0.5 }), new Map(), noRules); // 90 %
    const below = rowFigures(container({ cpu: 44, cpuLimit: 0.5 }), new Map(), noRules); // 88 %

    expect(near.cpuMark).toEqual({ level: 'warning', mark: 'near limit' });
    expect(below.cpuMark).toEqual({ level: '', mark: '' });
  });

  it("should take the rules' level for the metric paths of the containers group", () => {
    const asked: Array<[string, unknown]> = [];
    const level = (metric: string, v: unknown) => {
      asked.push([metric, v]);
      return metric === 'containers[].memoryUsage' ? ('critical' as const) : ('warning' as const);
    };

    const f = rowFigures(container({ memoryUsage: 95 }), new Map(), level);

    expect(asked).toEqual([
      ['containers[].cpu', 45],
      ['containers[].memoryUsage', 95],
    ]);
    expect(f.cpuMark).toEqual({ level: 'warning', mark: 'warning' });
    expect(f.memoryMark).toEqual({ level: 'critical', mark: 'critical' });
  });

  it.each([
    ['', 89.9, { level: '', mark: '' }],
    ['', 90, { level: 'warning', mark: 'near limit' }],
    ['', null, { level: '', mark: '' }],
    ['warning', 10, { level: 'warning', mark: 'warning' }],
    ['critical', 95, { level: 'critical', mark: 'critical' }],
  ] as const)('should mark level %p at %p %% of the limit as %j', (rule, pct, expected) => {
    expect(markOf(rule, pct)).toEqual(expected);
  });
});

describe('the dashboard containers: sparklines', () => {
  it('should keep at most capacity readings per container and drop containers gone', () => {
    const history = createSparkHistory(3);

    recordContainers(history, [container({ id: 'a', cpu: 1 }), container({ id: 'b', cpu: 2 })]);
    recordContainers(history, [container({ id: 'a', cpu: 3 })]);
    recordContainers(history, [container({ id: 'a', cpu: null })]);
    recordContainers(history, [container({ id: 'a', cpu: 5 })]);

    expect([...history.byId]).toEqual([['a', [3, null, 5]]]);
  });

  it('should drop every line when the host lists none or cannot read them', () => {
    const history = createSparkHistory(3);
    recordContainers(history, [container({ id: 'a', cpu: 1 })]);

    recordContainers(history, null);

    expect(history.byId.size).toBe(0);
  });

  it('should break every line at a gap and forget them all when cleared', () => {
    const history = createSparkHistory(5);
    recordContainers(history, [container({ id: 'a', cpu: 1 }), container({ id: 'b', cpu: 2 })]);

    breakSparks(history);
    const broken = [...history.byId];
    clearSparks(history);

    expect(broken).toEqual([
      ['a', [1, null]],
      ['b', [2, null]],
    ]);
    expect(history.byId.size).toBe(0);
  });

  it('should draw the newest reading at the right edge, 0 at the bottom and top at the top', () => {
    // capacity 5: x runs 0…4; three values take the last three slots, x = 2, 3, 4.
    // height 20, top 100: 0 → y 20, 50 → y 10, 100 → y 0.
    expect(sparkPath([0, 50, 100], 5, 20, 100)).toBe('M2,20L3,10L4,0');
  });

  it('should break the line at a null and draw a point on its own as a dot', () => {
    // capacity 4, height 10, top 100: 10 → y 9, 30 → y 7, 40 → y 6.
    expect(sparkPath([10, null, 30, 40], 4, 10, 100)).toBe('M0,9h0M2,7L3,6');
    expect(sparkPath([null, 50], 2, 10, 100)).toBe('M1,5h0');
    expect(sparkPath([], 60, 20, 100)).toBe('');
  });

  it('should clamp readings to the box and round to two decimals', () => {
    // 150 above top → y 0; -5 below 0 → y 10; 33.333 → 10 - 3.3333 = 6.6667 → 6.67.
    expect(sparkPath([150, -5], 2, 10, 100)).toBe('M0,0L1,10');
    expect(sparkPath([33.333], 1, 10, 100)).toBe('M0,6.67h0');
  });

  it.each([
    [[], 1],
    [[0.4], 1],
    [[null, 3], 5],
    [[45, 12], 50],
    [[100], 100],
    [[101], 200],
    [[180], 200],
    [[250], 250],
    [[251], 500],
  ])(
    'should scale %j to %p: the first of 1, 2, 2.5, 5 × 10ⁿ at or above the highest',
    (values, top) => {
      expect(sparkTop(values)).toBe(top);
    },
  );
});
