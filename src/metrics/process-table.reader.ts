import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProcessesDto } from './dto/processes.dto.js';
import { parsePidStat } from './procfs.parser.js';

// USER_HZ, the unit of /proc times, is 100 on every mainstream Linux build; pages are 4 KiB.
const TICKS_PER_SECOND = 100;
const PAGE_BYTES = 4096;
const BATCH = 8;

const round2 = (value: number): number => Math.round(value * 100) / 100;

/**
 * The process table from procfs (VITALS_PROCFS) instead of forking `ps`: counts, and the
 * busiest processes by CPU over the time since the previous reading.
 */
export class ProcessTableReader {
  private previous = new Map<number, number>();
  private previousAt: number | undefined;

  constructor(
    private readonly procfs: string,
    private readonly now: () => number,
  ) {}

  async read(top: number, memoryTotal: number): Promise<ProcessesDto> {
    const names = await readdir(this.procfs);
    const pids = names.filter((name) => /^\d+$/.test(name)).map(Number);
    // A process can exit between the listing and the read: it is simply not counted. Reads go
    // in small batches so they never fill libuv's thread pool ahead of a tick's reads.
    const stats = [];
    for (let i = 0; i < pids.length; i += BATCH) {
      stats.push(
        ...(await Promise.all(
          pids.slice(i, i + BATCH).map((pid) =>
            readFile(join(this.procfs, String(pid), 'stat'), 'latin1').then(
              (text) => ({ pid, stat: parsePidStat(text) }),
              () => ({ pid, stat: undefined }),
            ),
          ),
        )),
      );
    }
    const at = this.now();
    const seconds = this.previousAt === undefined ? 0 : (at - this.previousAt) / 1000;
    const ticks = new Map<number, number>();
    const processes = [];
    let running = 0;
    for (const { pid, stat } of stats) {
      if (!stat) {
        continue;
      }
      ticks.set(pid, stat.cpuTicks);
      if (stat.state === 'R') {
        running++;
      }
      const before = this.previous.get(pid);
      const cpu =
        seconds > 0 && before !== undefined && stat.cpuTicks >= before
          ? ((stat.cpuTicks - before) / TICKS_PER_SECOND / seconds) * 100
          : 0;
      const rss = stat.rssPages * PAGE_BYTES;
      processes.push({
        pid,
        name: stat.name,
        cpu: round2(cpu),
        memory: memoryTotal > 0 ? round2((rss / memoryTotal) * 100) : 0,
        rss,
      });
    }
    this.previous = ticks;
    this.previousAt = at;
    processes.sort((a, b) => b.cpu - a.cpu || b.rss - a.rss || a.pid - b.pid);
    return { total: processes.length, running, top: processes.slice(0, top) };
  }
}
