import fc from 'fast-check';
import { sampleReading } from '../../test/helpers/readings.js';
import type { SampleReading } from '../hub/sample.js';
import { RollupAccumulator } from './rollup-accumulator.js';
import type { RollupValue } from './rollup-point.js';

const START = Date.parse('2026-11-24T11:00:00.000Z');

/** sampleReading() with some fields changed. */
function reading(change: (sample: ReturnType<typeof sampleReading>) => void = () => {}) {
  const sample = sampleReading();
  change(sample);
  return sample;
}

function accumulate(samples: readonly SampleReading[]): RollupAccumulator {
  return samples.reduce((acc, sample) => acc.add(sample), RollupAccumulator.empty());
}

/** A 16-core host with 4 disks, 3 interfaces and 5 top processes; figures vary with `tick`. */
function bigReading(tick: number): SampleReading {
  const jitter = (base: number, spread: number) =>
    Math.round((base + spread * Math.sin(tick * 1.7 + base)) * 100) / 100;
  const sample = sampleReading(jitter(35, 20));
  sample.cpu.cores = Array.from({ length: 16 }, (_, core) => jitter(20 + core * 3, 15));
  sample.cpu.count = 16;
  sample.cpu.load = [jitter(4, 1), jitter(3.5, 0.5), jitter(3, 0.2)];
  sample.memory.used = Math.round(jitter(24e9, 2e9));
  sample.memory.available = 64 * 1024 ** 3 - sample.memory.used;
  sample.memory.total = 64 * 1024 ** 3;
  // No containers and no GPU: the host the README's sizing describes.
  sample.containers = [];
  sample.gpus = [];
  sample.disks = ['/', '/home', '/var/lib/docker', '/boot'].map((mount, index) => ({
    mount,
    fs: `/dev/nvme0n1p${index + 1}`,
    type: 'ext4',
    size: 500e9,
    used: Math.round(jitter(200e9 + index, 1e6)),
    usage: jitter(40, 0.2),
  }));
  sample.diskIo = {
    readBytesPerSec: Math.round(jitter(5e6, 4e6)),
    writeBytesPerSec: Math.round(jitter(12e6, 8e6)),
    readOpsPerSec: jitter(300, 250),
    writeOpsPerSec: jitter(800, 600),
  };
  sample.network = ['eth0', 'eth1', 'docker0'].map((iface, index) => ({
    iface,
    rxBytesPerSec: Math.round(jitter(2e6 * (index + 1), 1e6)),
    txBytesPerSec: Math.round(jitter(1e6 * (index + 1), 5e5)),
  }));
  sample.processes.top = Array.from({ length: 5 }, (_, pid) => ({
    pid: 1000 + pid,
    name: `worker-${pid}`,
    cpu: jitter(10, 5),
    memory: 1.5,
    rss: 1e9,
  }));
  sample.sensors.cpuTempC = jitter(55, 10);
  sample.uptime = 864_000 + tick;
  sample.self = {
    cpu: jitter(1, 0.5),
    rss: 95e6 + tick,
    eventLoopLagMs: jitter(1, 0.8),
    subscribers: 3,
  };
  return sample;
}

describe('RollupAccumulator', () => {
  it('should render every number as min/avg/max and keep list keys plain when given samples', () => {
    // Arrange
    const samples = [30, 40, 50].map((usage) => sampleReading(usage));

    // Act
    const point = accumulate(samples).toPoint('web-1', START);

    // Assert
    expect(point).toMatchObject({
      timestamp: '2026-11-24T11:00:00.000Z',
      host: 'web-1',
      samples: 3,
      cpu: {
        usage: { min: 30, avg: 40, max: 50 },
        cores: [
          { min: 30, avg: 40, max: 50 },
          { min: 30, avg: 40, max: 50 },
        ],
        load: [
          { min: 0.5, avg: 0.5, max: 0.5 },
          { min: 0.25, avg: 0.25, max: 0.25 },
          { min: 0.125, avg: 0.13, max: 0.125 },
        ],
      },
      disks: [
        {
          mount: '/',
          fs: '/dev/vda',
          type: 'ext4',
          size: { min: 1000, avg: 1000, max: 1000 },
          usage: { min: 40, avg: 40, max: 40 },
        },
      ],
      network: [{ iface: 'eth0', rxBytesPerSec: { min: 1000, avg: 1000, max: 1000 } }],
      processes: { total: { min: 80, avg: 80, max: 80 } },
      container: { inContainer: false, cgroup: 'v2', memoryLimit: null },
    });
    expect(point.processes).not.toHaveProperty('top');
    expect(point).not.toHaveProperty('id');
  });

  it('should give null when a number was null all bucket', () => {
    // Arrange
    const samples = [reading(), reading()];

    // Act
    const point = accumulate(samples).toPoint('web-1', START);

    // Assert
    expect(point.sensors).toEqual({ cpuTempC: null });
    expect(point.memory).toMatchObject({ swapUsage: null });
  });

  it('should give the stats of the other values when a number was null some of the time', () => {
    // Arrange
    const temps = [null, 50, null, 60];
    const samples = temps.map((cpuTempC) => reading((s) => (s.sensors.cpuTempC = cpuTempC)));

    // Act
    const point = accumulate(samples).toPoint('web-1', START);

    // Assert
    expect(point.samples).toBe(4);
    expect(point.sensors).toEqual({ cpuTempC: { min: 50, avg: 55, max: 60 } });
  });

  it('should give null when a whole group was null all bucket, and its stats when some of it', () => {
    // Arrange
    const samples = [reading((s) => Object.assign(s, { cpu: null, disks: null })), reading()];
    const allNull = [reading((s) => Object.assign(s, { cpu: null }))];

    // Act
    const point = accumulate(samples).toPoint('web-1', START);
    const nullPoint = accumulate(allNull).toPoint('web-1', START);

    // Assert
    expect(point.cpu).toMatchObject({ usage: { min: 30, avg: 30, max: 30 } });
    expect(point.disks).toHaveLength(1);
    expect(nullPoint.cpu).toBeNull();
  });

  it('should keep what each element saw when elements come and go during the bucket', () => {
    // Arrange
    const eth1 = { iface: 'eth1', rxBytesPerSec: 10, txBytesPerSec: 20 };
    const samples = [
      reading(),
      reading((s) => s.network.push(eth1)),
      reading((s) => (s.network = [{ ...eth1, rxBytesPerSec: 30 }])),
    ];

    // Act
    const point = accumulate(samples).toPoint('web-1', START);

    // Assert
    expect(point.network).toEqual([
      {
        iface: 'eth0',
        rxBytesPerSec: { min: 1000, avg: 1000, max: 1000 },
        txBytesPerSec: { min: 500, avg: 500, max: 500 },
      },
      {
        iface: 'eth1',
        rxBytesPerSec: { min: 10, avg: 20, max: 30 },
        txBytesPerSec: { min: 20, avg: 20, max: 20 },
      },
    ]);
  });

  it('should match disks by mount when their order changes', () => {
    // Arrange
    const root = { mount: '/', fs: '/dev/vda', type: 'ext4', size: 1000, used: 400, usage: 40 };
    const data = { mount: '/data', fs: '/dev/vdb', type: 'xfs', size: 5000, used: 500, usage: 10 };
    const samples = [
      reading((s) => (s.disks = [root, data])),
      reading(
        (s) =>
          (s.disks = [
            { ...data, usage: 20 },
            { ...root, usage: 60 },
          ]),
      ),
    ];

    // Act
    const point = accumulate(samples).toPoint('web-1', START);

    // Assert
    expect(point.disks).toMatchObject([
      { mount: '/', fs: '/dev/vda', usage: { min: 40, avg: 50, max: 60 } },
      { mount: '/data', fs: '/dev/vdb', type: 'xfs', usage: { min: 10, avg: 15, max: 20 } },
    ]);
  });

  it('should match cores by position and keep a core that appears later', () => {
    // Arrange
    const samples = [
      reading((s) => (s.cpu.cores = [10, 20])),
      reading((s) => (s.cpu.cores = [30, 40, 50])),
    ];

    // Act
    const point = accumulate(samples).toPoint('web-1', START);

    // Assert
    expect(point.cpu).toMatchObject({
      cores: [
        { min: 10, avg: 20, max: 30 },
        { min: 20, avg: 30, max: 40 },
        { min: 50, avg: 50, max: 50 },
      ],
    });
  });

  it('should match GPUs by index and an unknown list by name when names repeat', () => {
    // Arrange: GPUs (the table: index) that share a name; fans (the fallback: name, then #2).
    // Figures no driver gave stay null through the rollup.
    const unread = {
      memoryUsed: null,
      memoryTotal: null,
      memoryUsage: null,
      temperatureC: null,
      powerW: null,
      powerLimitW: null,
      fanPercent: null,
      clockMHz: null,
      clockMaxMHz: null,
    };
    const gpu = (index: number, utilization: number) => ({
      index,
      name: 'NVIDIA A10',
      vendor: 'nvidia' as const,
      utilization,
      ...unread,
    });
    const twin = (temp: number) => ({ name: 'fan', rpm: temp });
    const samples = [
      { ...reading(), gpus: [gpu(0, 10), gpu(1, 50)], fans: [twin(1000), twin(2000)] },
      { ...reading(), gpus: [gpu(1, 70), gpu(0, 30)], fans: [twin(3000), twin(4000)] },
    ];

    // Act
    const point = accumulate(samples).toPoint('web-1', START);

    // Assert
    expect(point.gpus).toEqual([
      {
        index: 0,
        name: 'NVIDIA A10',
        vendor: 'nvidia',
        utilization: { min: 10, avg: 20, max: 30 },
        ...unread,
      },
      {
        index: 1,
        name: 'NVIDIA A10',
        vendor: 'nvidia',
        utilization: { min: 50, avg: 60, max: 70 },
        ...unread,
      },
    ]);
    expect(point.fans).toEqual([
      { name: 'fan', rpm: { min: 1000, avg: 2000, max: 3000 } },
      { name: 'fan', rpm: { min: 2000, avg: 3000, max: 4000 } },
    ]);
  });

  it('should render only the chosen groups when given groups', () => {
    // Act
    const point = accumulate([sampleReading()]).toPoint('web-1', START, ['cpu', 'sensors']);

    // Assert
    expect(Object.keys(point)).toEqual(['timestamp', 'host', 'samples', 'cpu', 'sensors']);
  });

  describe('merge', () => {
    it('should weight the averages by the samples of each side when merging', () => {
      // Arrange: 3 samples at 10 % and 1 at 50 %: the weighted average is 20, not 30.
      const stored = accumulate([10, 10, 10].map((usage) => sampleReading(usage)));
      const fresh = accumulate([sampleReading(50)]);

      // Act
      const merged = stored.merge(fresh).toPoint('web-1', START);

      // Assert
      expect(merged.samples).toBe(4);
      expect(merged.cpu).toMatchObject({ usage: { min: 10, avg: 20, max: 50 } });
    });

    it('should leave the other accumulator as it was when merging', () => {
      // Arrange
      const fresh = accumulate([sampleReading(50)]);
      const before = fresh.serialize();

      // Act
      RollupAccumulator.empty().merge(fresh).add(sampleReading(90));

      // Assert
      expect(fresh.serialize()).toBe(before);
    });
  });

  describe('state', () => {
    it('should render the same point when serialized and parsed back', () => {
      // Arrange
      const acc = accumulate([
        reading((s) => (s.sensors.cpuTempC = 50)),
        reading((s) => s.network.push({ iface: 'eth1', rxBytesPerSec: 1, txBytesPerSec: 2 })),
        bigReading(1),
      ]);

      // Act
      const parsed = RollupAccumulator.parse(acc.serialize());

      // Assert
      expect(parsed.toPoint('web-1', START)).toEqual(acc.toPoint('web-1', START));
      expect(parsed.serialize()).toBe(acc.serialize());
    });

    it('should equal accumulating every sample when two parsed halves are merged', () => {
      const figure = fc.option(
        fc.integer({ min: -1e6, max: 1e8 }).map((n) => n / 100),
        {
          nil: null,
        },
      );
      const sampleArb = fc.record({
        usage: fc.integer({ min: 0, max: 10_000 }).map((n) => n / 100),
        temp: figure,
        cores: fc.array(fc.integer({ min: 0, max: 100 }), { maxLength: 4 }),
        disks: fc.uniqueArray(fc.constantFrom('/', '/data', '/boot'), { maxLength: 3 }),
        rx: figure,
      });
      fc.assert(
        fc.property(fc.array(sampleArb, { minLength: 1, maxLength: 30 }), fc.nat(), (arbs, cut) => {
          // Arrange
          const samples = arbs.map((arb) =>
            reading((s) => {
              s.cpu.usage = arb.usage;
              s.cpu.cores = arb.cores;
              s.sensors.cpuTempC = arb.temp;
              s.disks = arb.disks.map((mount) => ({ ...s.disks[0]!, mount, usage: arb.usage }));
              s.network[0]!.rxBytesPerSec = arb.rx ?? 0;
            }),
          );
          const at = cut % (samples.length + 1);
          const first = RollupAccumulator.parse(accumulate(samples.slice(0, at)).serialize());
          const second = RollupAccumulator.parse(accumulate(samples.slice(at)).serialize());

          // Act
          const merged = first.merge(second).toPoint('web-1', START);

          // Assert
          expectClose(merged, accumulate(samples).toPoint('web-1', START));
        }),
      );
    });

    it('should throw when the state is not one', () => {
      expect(() => RollupAccumulator.parse('{"v":2,"n":1,"g":{}}')).toThrow(/not a rollup state/);
      expect(() => RollupAccumulator.parse('{"v":1,"n":1,"g":{"a":[1,2,3,4,5]}}')).toThrow(
        /not rollup stats/,
      );
    });

    it('should render from the stored text the point the parsed accumulator renders', () => {
      const figure = fc.option(
        fc.integer({ min: -1e6, max: 1e8 }).map((n) => n / 100),
        {
          nil: null,
        },
      );
      const sampleArb = fc.record({
        usage: fc.integer({ min: 0, max: 10_000 }).map((n) => n / 100),
        temp: figure,
        cores: fc.array(fc.integer({ min: 0, max: 100 }), { maxLength: 4 }),
        disks: fc.uniqueArray(fc.constantFrom('/', '/data', '/boot'), { maxLength: 3 }),
        big: fc.boolean(),
      });
      const groups = fc.option(fc.subarray(['cpu', 'memory', 'disks', 'sensors', 'nothing']), {
        nil: undefined,
      });
      fc.assert(
        fc.property(fc.array(sampleArb, { minLength: 1, maxLength: 20 }), groups, (arbs, only) => {
          // Arrange
          const text = accumulate(
            arbs.map((arb, tick) =>
              arb.big
                ? bigReading(tick)
                : reading((s) => {
                    s.cpu.usage = arb.usage;
                    s.cpu.cores = arb.cores;
                    s.sensors.cpuTempC = arb.temp;
                    s.disks = arb.disks.map((mount) => ({ ...s.disks[0]!, mount }));
                  }),
            ),
          ).serialize();

          // Act
          const point = RollupAccumulator.pointOf(text, 'web-1', START, only);

          // Assert
          expect(point).toEqual(RollupAccumulator.parse(text).toPoint('web-1', START, only));
        }),
      );
    });

    it('should throw rendering from a stored text that is not a state', () => {
      const render = (text: string) => () => RollupAccumulator.pointOf(text, 'web-1', START);

      expect(render('{"v":2,"n":1,"g":{}}')).toThrow(/not a rollup state/);
      expect(render('{"v":1,"n":1,"g":[]}')).toThrow(/groups are not an object/);
      expect(render('{"v":1,"n":1,"g":{"a":[1,2,3,4,5]}}')).toThrow(/not rollup stats/);
      expect(render('{"v":1,"n":1,"g":{"a":["x"]}}')).toThrow(/not rollup stats/);
      expect(render('not json')).toThrow(SyntaxError);
    });

    it('should keep a bucket of the 16-core host under 2.5 KB when holding an hour of seconds', () => {
      // Arrange
      const acc = accumulate(Array.from({ length: 3600 }, (_, tick) => bigReading(tick)));

      // Act
      const bytes = Buffer.byteLength(acc.serialize());

      // Assert
      expect(bytes).toBeLessThan(2500);
    });
  });
});

// Averages are rounded to two decimals after summing in a different order: within 0.01.
function expectClose(actual: RollupValue | undefined, expected: RollupValue | undefined): void {
  if (typeof actual === 'number' && typeof expected === 'number') {
    expect(Math.abs(actual - expected)).toBeLessThanOrEqual(0.010001);
  } else if (typeof actual === 'object' && actual !== null && typeof expected === 'object') {
    expect(Object.keys(actual)).toEqual(Object.keys(expected ?? {}));
    for (const [key, value] of Object.entries(actual)) {
      expectClose(value as RollupValue, (expected as Record<string, RollupValue>)[key]);
    }
  } else {
    expect(actual).toEqual(expected);
  }
}
