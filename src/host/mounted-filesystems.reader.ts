import type { StatsFs } from 'node:fs';
import { readFile, statfs } from 'node:fs/promises';
import { Logger } from '@nestjs/common';
import type { DiskUsageDto } from '../hub/dto/disk-usage.dto.js';
import { parseMountInfo, storageMounts } from './mountinfo.parser.js';

/** How long one filesystem may take to answer before a reading goes on without it. */
export const STATFS_TIMEOUT_MS = 5000;

const round2 = (value: number): number => Math.round(value * 100) / 100;

/**
 * The filesystems mounted where vitals runs, with their usage as `df` computes it, read from
 * this process's mountinfo and statfs(2) without forking (systeminformation ran `cat
 * /proc/mounts` synchronously, then `df`, every read). A filesystem that does not answer (a hung
 * NFS server) is left out of the readings until it does: one statfs waits on it at a time, and
 * it is logged once when it stops answering and once when it is back.
 */
export class MountedFilesystemsReader {
  private readonly logger = new Logger(MountedFilesystemsReader.name);
  // Mount points whose statfs has not returned yet: not asked again meanwhile.
  private readonly pending = new Set<string>();
  private readonly silent = new Set<string>();

  constructor(
    private readonly mountinfo = '/proc/self/mountinfo',
    private readonly statFs: (path: string) => Promise<StatsFs> = (path) => statfs(path),
    private readonly timeoutMs = STATFS_TIMEOUT_MS,
  ) {}

  async readDisks(): Promise<DiskUsageDto[]> {
    const mounts = storageMounts(parseMountInfo(await readFile(this.mountinfo, 'latin1')));
    const usages = await Promise.all(
      mounts.map(async ({ mount, source, type }) => {
        const stats = await this.ask(mount);
        if (!stats || stats.blocks <= 0) {
          return [];
        }
        const size = stats.blocks * stats.bsize;
        const used = (stats.blocks - stats.bfree) * stats.bsize;
        const available = stats.bavail * stats.bsize;
        // df's Use%: of what users may have, not counting the blocks reserved for root.
        const usage = used + available > 0 ? round2((used / (used + available)) * 100) : 0;
        return [{ mount, fs: source, type, size, used, usage }];
      }),
    );
    return usages.flat();
  }

  // The statfs of `mount`, or undefined if it fails or is still out from an earlier reading.
  private async ask(mount: string): Promise<StatsFs | undefined> {
    if (this.pending.has(mount)) {
      return undefined;
    }
    this.pending.add(mount);
    const answer = this.statFs(mount).then(
      (stats) => {
        this.pending.delete(mount);
        if (this.silent.delete(mount)) {
          this.logger.log(`${mount} answers again`);
        }
        return stats;
      },
      () => {
        // Unmounted since mountinfo was read, or not ours to see: left out this time.
        this.pending.delete(mount);
        return undefined;
      },
    );
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), this.timeoutMs);
    });
    const stats = await Promise.race([answer, timeout]);
    clearTimeout(timer);
    if (this.pending.has(mount) && !this.silent.has(mount)) {
      this.silent.add(mount);
      this.logger.warn(
        `${mount} did not answer statfs within ${this.timeoutMs} ms; left out of disks until it does`,
      );
    }
    return stats;
  }
}
