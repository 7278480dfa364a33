import { execFileSync } from 'node:child_process';
import type { StatsFs } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { MountedFilesystemsReader } from './mounted-filesystems.reader.js';

const CONTAINER = fileURLToPath(
  new URL('../../test/fixtures/mountinfo/docker-container', import.meta.url),
);
const MiB = 1024 * 1024;

const stats = (blocks: number, bfree: number, bavail: number, bsize = 4096): StatsFs => ({
  type: 0xef53,
  bsize,
  blocks,
  bfree,
  bavail,
  files: 1000,
  ffree: 500,
});

describe('MountedFilesystemsReader', () => {
  let warn: jest.SpiedFunction<Logger['warn']>;
  let log: jest.SpiedFunction<Logger['log']>;

  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });

  afterEach(() => jest.restoreAllMocks());

  it("should agree with df about this machine's root filesystem", async () => {
    const reader = new MountedFilesystemsReader();

    const root = (await reader.readDisks()).find((disk) => disk.mount === '/');
    // df -kP: Filesystem 1024-blocks Used Available Capacity Mounted-on
    const line = execFileSync('df', ['-kP', '/'], { encoding: 'utf8' }).trim().split('\n')[1];
    const [, blocks = NaN, used = NaN, available = NaN] = (line ?? '')
      .split(/\s+/)
      .map((field) => Number.parseInt(field, 10));

    expect(root).toBeDefined();
    expect(root?.size).toBe(blocks * 1024);
    // Another process may write between the two reads.
    expect(Math.abs((root?.used ?? 0) - used * 1024)).toBeLessThan(256 * MiB);
    expect(root?.usage).toBeCloseTo((used / (used + available)) * 100, 0);
  });

  it('should report what df would from a container table, figured as df does', async () => {
    const asked: string[] = [];
    const reader = new MountedFilesystemsReader(CONTAINER, (path) => {
      asked.push(path);
      // 1000 blocks, 400 free, 300 of them for users: 600 used, usage 600 / 900.
      return Promise.resolve(path === '/data' ? stats(1000, 400, 300) : stats(2000, 1000, 1000));
    });

    const disks = await reader.readDisks();

    expect(asked.sort()).toEqual(['/data', '/etc/hosts', '/mnt/team share']);
    expect(disks.find((disk) => disk.mount === '/data')).toEqual({
      mount: '/data',
      fs: '/dev/nvme1n1',
      type: 'xfs',
      size: 1000 * 4096,
      used: 600 * 4096,
      usage: 66.67,
    });
  });

  it('should leave out a filesystem of no size and one gone since the table was read', async () => {
    const reader = new MountedFilesystemsReader(CONTAINER, (path) =>
      path === '/data'
        ? Promise.reject(Object.assign(new Error('ENOENT'), { code: 'ENOENT' }))
        : Promise.resolve(path === '/etc/hosts' ? stats(0, 0, 0) : stats(10, 5, 5)),
    );

    expect((await reader.readDisks()).map((disk) => disk.mount)).toEqual(['/mnt/team share']);
    expect(warn).not.toHaveBeenCalled();
  });

  it('should go on without a filesystem that hangs, ask it once, and take it back when it answers', async () => {
    let answer: (value: StatsFs) => void = () => undefined;
    const hung = new Promise<StatsFs>((resolve) => (answer = resolve));
    const asked = new Map<string, number>();
    const reader = new MountedFilesystemsReader(
      CONTAINER,
      (path) => {
        asked.set(path, (asked.get(path) ?? 0) + 1);
        return path === '/mnt/team share' ? hung : Promise.resolve(stats(10, 5, 5));
      },
      50,
    );

    const first = await reader.readDisks();
    const second = await reader.readDisks();

    expect(first.map((disk) => disk.mount)).toEqual(['/etc/hosts', '/data']);
    expect(second.map((disk) => disk.mount)).toEqual(['/etc/hosts', '/data']);
    expect(asked.get('/mnt/team share')).toBe(1);
    expect(asked.get('/data')).toBe(2);
    expect(warn.mock.calls).toEqual([
      ['/mnt/team share did not answer statfs within 50 ms; left out of disks until it does'],
    ]);

    answer(stats(100, 50, 50));
    await hung;
    const third = await reader.readDisks();

    expect(third.map((disk) => disk.mount)).toEqual(['/etc/hosts', '/data', '/mnt/team share']);
    expect(log.mock.calls).toEqual([['/mnt/team share answers again']]);
    expect(warn).toHaveBeenCalledTimes(1);
  });
});
