import {
  appendPoint,
  clearTimeline,
  column,
  createTimeline,
  netKey,
  pointValues,
  updateInterfaces,
} from '../../public/js/timeline.js';

type Sample = Parameters<typeof pointValues>[0];

const withNetwork = (id: number, ifaces: string[]): Sample => ({
  id,
  network: ifaces.map((iface) => ({ iface, rxBytesPerSec: 100, txBytesPerSec: 50 })),
});

describe('the dashboard timeline', () => {
  it('should keep at most maxPoints points in every column when points keep coming', () => {
    const timeline = createTimeline(3);

    for (let t = 1; t <= 5; t++) {
      appendPoint(timeline, t, { a: t * 10 });
    }

    expect(timeline.x).toEqual([3, 4, 5]);
    expect(timeline.cols.get('a')).toEqual([30, 40, 50]);
  });

  it('should back-fill a new column with nulls and break others when a value is missing', () => {
    const timeline = createTimeline(10);
    appendPoint(timeline, 1, { a: 1 });

    appendPoint(timeline, 2, { b: 2 });

    expect(timeline.cols.get('a')).toEqual([1, null]);
    expect(timeline.cols.get('b')).toEqual([null, 2]);
  });

  it('should keep x ascending when the clock steps back', () => {
    const timeline = createTimeline(10);
    appendPoint(timeline, 100, {});

    appendPoint(timeline, 90, {});
    appendPoint(timeline, 100, {});

    const [first, second, third] = timeline.x;
    expect(second).toBeCloseTo(100.001, 6);
    expect(third).toBeGreaterThan(second!);
    expect(first).toBe(100);
  });

  it('should stack the CPU modes as running sums when some mode is not reported', () => {
    const values = pointValues({
      id: 1,
      cpu: { usage: 30, user: 20, system: 5, iowait: null, steal: 1 },
    });

    expect(values).toMatchObject({
      'cpu.usage': 30,
      'stack.user': 20,
      'stack.system': 25,
      'stack.iowait': 25,
      'stack.steal': 26,
      'cpu.iowait': null,
    });
  });

  it('should plot nothing of a group when the sample does not carry it', () => {
    expect(pointValues({ id: 1 })).toEqual({});
    expect(pointValues({ id: 1, memory: { usage: 25, swapUsage: null } })).toEqual({
      'mem.usage': 25,
      'swap.usage': null,
    });
  });

  it('should drop an interface when it has gone and no data of it is left in the window', () => {
    const timeline = createTimeline(2);
    const add = (s: Sample) => {
      appendPoint(timeline, Number(s.id), pointValues(s));
      updateInterfaces(timeline, s);
    };

    add(withNetwork(1, ['eth0', 'wlan0']));
    add(withNetwork(2, ['eth0']));
    const whileInWindow = [...timeline.ifaces];
    add(withNetwork(3, ['eth0']));

    expect(whileInWindow).toEqual(['eth0', 'wlan0']);
    expect(timeline.ifaces).toEqual(['eth0']);
    expect(timeline.cols.has(netKey('wlan0', 'rx'))).toBe(false);
  });

  it('should forget every point and column when cleared', () => {
    const timeline = createTimeline(5);
    appendPoint(timeline, 1, { a: 1 });
    updateInterfaces(timeline, withNetwork(1, ['eth0']));

    clearTimeline(timeline);

    expect([timeline.x, [...timeline.cols.keys()], timeline.ifaces]).toEqual([[], [], []]);
    expect(column(timeline, 'a')).toEqual([]);
  });
});
