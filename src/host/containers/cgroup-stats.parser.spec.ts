import {
  cpuLimitV1,
  flatField,
  memoryLimitV1,
  parseBlkioBytes,
  parseCount,
  parseCpuMax,
  parseFirstPid,
  parseIoStat,
  parseMemoryMax,
} from './cgroup-stats.parser.js';

// The texts below are as Linux 6.18 writes them (this repository's test machine, cgroup v1
// hierarchies and a v2 `unified` mount), or as its cgroup-v2 documentation shows them.
describe('cgroup file parsers', () => {
  it('should read usage_usec when cpu.stat has the v2 fields', () => {
    const text =
      'usage_usec 232593\nuser_usec 220962\nsystem_usec 11630\nnice_usec 0\n' +
      'nr_periods 4\nnr_throttled 4\nthrottled_usec 163468\nnr_bursts 0\nburst_usec 0\n';

    expect(flatField(text, 'usage_usec')).toBe(232593);
    expect(flatField(text, 'throttled_usec')).toBe(163468);
    expect(flatField(text, 'burst_usec')).toBe(0);
    expect(flatField('usage_usec 5', 'usage_usec')).toBe(5);
  });

  it('should fail, not read 0, when a field is missing, empty or only a prefix of another', () => {
    const stat = 'cache 221184\nrss 0\ninactive_file_x 3\nempty \n';

    expect(() => flatField(stat, 'total_inactive_file')).toThrow('no total_inactive_file');
    expect(() => flatField(stat, 'inactive_file')).toThrow('no inactive_file');
    expect(() => flatField(stat, 'empty')).toThrow('no empty');
    expect(() => flatField('', 'rss')).toThrow('no rss');
    // "total_inactive_file" must not be read for "inactive_file".
    expect(flatField('total_inactive_file 9\ninactive_file 4\n', 'inactive_file')).toBe(4);
    expect(() => flatField('total_inactive_file 9\n', 'inactive_file')).toThrow();
  });

  it('should read one number when the file holds one, and fail when it is empty', () => {
    expect(parseCount('232593355\n')).toBe(232593355);
    expect(parseCount('9223372036854771712\n')).toBe(9223372036854771712);
    expect(() => parseCount('')).toThrow('not a number');
    expect(() => parseCount('max\n')).toThrow('not a number');
  });

  it('should give cores when cpu.max has a quota, and null when it says max', () => {
    expect(parseCpuMax('150000 100000\n')).toBe(1.5);
    expect(parseCpuMax('50000 100000\n')).toBe(0.5);
    expect(parseCpuMax('max 100000\n')).toBeNull();
  });

  it('should give cores when cfs_quota_us is set, and null when it is -1', () => {
    expect(cpuLimitV1(50000, 100000)).toBe(0.5);
    expect(cpuLimitV1(200000, 100000)).toBe(2);
    expect(cpuLimitV1(100000, 30000)).toBe(3.33);
    expect(cpuLimitV1(-1, 100000)).toBeNull();
  });

  it('should give bytes when memory.max has a limit, and null when it says max', () => {
    expect(parseMemoryMax('536870912\n')).toBe(536870912);
    expect(parseMemoryMax('max\n')).toBeNull();
  });

  it('should read v1 limits at or above 2^60 as unlimited', () => {
    expect(memoryLimitV1(268435456)).toBe(268435456);
    expect(memoryLimitV1(Number('9223372036854771712'))).toBeNull();
    expect(memoryLimitV1(2 ** 60)).toBeNull();
  });

  it('should sum rbytes and wbytes over devices when io.stat has several', () => {
    const text =
      '254:0 rbytes=20971520 wbytes=10485760 rios=640 wios=160 dbytes=0 dios=0\n' +
      '8:0 rbytes=4194304 wbytes=0 rios=64 wios=0 dbytes=0 dios=0 cost.vrate=100.00\n';

    expect(parseIoStat(text)).toEqual({ read: 20971520 + 4194304, write: 10485760 });
    expect(parseIoStat('')).toEqual({ read: 0, write: 0 });
  });

  it('should sum Read and Write lines, not Total, when blkio lists several devices', () => {
    const text =
      '8:0 Read 10485760\n8:0 Write 4096000\n8:0 Sync 14581760\n8:0 Async 0\n8:0 Discard 0\n' +
      '8:0 Total 14581760\n253:0 Read 1048576\n253:0 Write 0\n253:0 Total 1048576\n' +
      'Total 15630336\n';

    expect(parseBlkioBytes(text)).toEqual({ read: 11534336, write: 4096000 });
    expect(parseBlkioBytes('Total 0\n')).toEqual({ read: 0, write: 0 });
  });

  it('should take the first pid when cgroup.procs lists several, and none when it is empty', () => {
    expect(parseFirstPid('4242\n4250\n')).toBe(4242);
    expect(parseFirstPid('')).toBeUndefined();
  });
});
