import { csvPaths, toCsv } from './rollup-csv.js';
import type { RollupPoint } from './rollup-point.js';

const stats = (min: number, avg: number, max: number) => ({ min, avg, max });

function point(timestamp: string, extra: Partial<RollupPoint>): RollupPoint {
  return { timestamp, host: 'web-1', samples: 60, ...extra };
}

describe('rollup CSV', () => {
  const first = point('2026-11-24T11:00:00.000Z', {
    cpu: { usage: stats(10, 20, 30), cores: [stats(1, 2, 3), null] },
    disks: [{ mount: '/', fs: '/dev/vda', usage: stats(40, 41, 42) }],
    sensors: { cpuTempC: null },
    container: { cgroup: 'v2', memoryLimit: null },
  });
  const second = point('2026-11-24T11:01:00.000Z', {
    cpu: { usage: stats(11, 21, 31), cores: [stats(4, 5, 6), stats(7, 8, 9)] },
    disks: [{ mount: '/mnt/a,b', fs: '/dev/vdb', usage: stats(1, 2, 3) }],
    network: [{ iface: 'eth0', rxBytesPerSec: stats(100, 150, 200) }],
  });

  it('should list the union of number paths in the order first met when given points', () => {
    // Act
    const paths = csvPaths([first, second]);

    // Assert
    expect(paths).toEqual([
      'cpu.usage',
      'cpu.cores[0]',
      'disks[/].usage',
      'cpu.cores[1]',
      'disks[/mnt/a,b].usage',
      'network[eth0].rxBytesPerSec',
    ]);
  });

  it('should write one row per point with empty cells when a point has no figure', () => {
    // Act
    const lines = toCsv([first, second]).split('\r\n');

    // Assert
    expect(lines[0]).toBe(
      'timestamp,host,samples,cpu.usage.min,cpu.usage.avg,cpu.usage.max,' +
        'cpu.cores[0].min,cpu.cores[0].avg,cpu.cores[0].max,' +
        'disks[/].usage.min,disks[/].usage.avg,disks[/].usage.max,' +
        'cpu.cores[1].min,cpu.cores[1].avg,cpu.cores[1].max,' +
        '"disks[/mnt/a,b].usage.min","disks[/mnt/a,b].usage.avg","disks[/mnt/a,b].usage.max",' +
        'network[eth0].rxBytesPerSec.min,network[eth0].rxBytesPerSec.avg,' +
        'network[eth0].rxBytesPerSec.max',
    );
    expect(lines[1]).toBe('2026-11-24T11:00:00.000Z,web-1,60,10,20,30,1,2,3,40,41,42,,,,,,,,,');
    expect(lines[2]).toBe(
      '2026-11-24T11:01:00.000Z,web-1,60,11,21,31,4,5,6,,,,7,8,9,1,2,3,100,150,200',
    );
    expect(lines[3]).toBe('');
  });

  it('should write only the header when there are no points', () => {
    expect(toCsv([])).toBe('timestamp,host,samples\r\n');
  });
});
