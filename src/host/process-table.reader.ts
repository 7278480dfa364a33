import { closeSync, openSync, readSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { ProcessesDto } from '../hub/dto/processes.dto.js';
import { type PidStat, parsePidStat } from './procfs.parser.js';

// USER_HZ, the unit of /proc times, is 100 on every mainstream Linux build; pages are 4 KiB.
const TICKS_PER_SECOND = 100;
const PAGE_BYTES = 4096;
const BATCH = 64;
// /proc/<pid>/stat is one line of 52 numeric fields and a name of at most 64 bytes: under
// 1.2 KB. The kernel builds it whole (single_open) and hands it out in one read whenever the
// buffer holds it, unlike multi-record files such as /proc/net/dev (see ProcFile), so one read
// of a page is the whole file.
const STAT_BYTES = 4096;

const round2 = (value: number): number => Math.round(value * 100) / 100;

/**
 * The process table from procfs (VITALS_PROCFS) instead of forking `ps`: counts, and the
 * busiest processes by CPU over the time since the previous reading.
 */
export class ProcessTableReader {
  private previous = new Map<number, number>();
  private previousAt: number | undefined;
  private readonly buffer = Buffer.allocUnsafe(STAT_BYTES);

  constructor(
    private readonly procfs: string,
    private readonly now: () => number,
  ) {}

  async read(top: number, memoryTotal: number): Promise<ProcessesDto> {
    const names = await readdir(this.procfs);
    const pids = names.filter((name) => /^\d+$/.test(name)).map(Number);
    // Synchronous reads: procfs text is generated in memory, and a profile showed the promise
    // API's open/fstat/read/close round trips through the thread pool cost ~8x the CPU. Batches
    // yield to the event loop so a host with thousands of processes never stalls a tick. A
    // process can exit between the listing and the read: it is simply not counted.
    const stats: { pid: number; stat: PidStat }[] = [];
    for (let i = 0; i < pids.length; i += BATCH) {
      if (i > 0) {
        await yieldToLoop();
      }
      for (const pid of pids.slice(i, i + BATCH)) {
        const text = this.readStat(pid);
        const stat = text === undefined ? undefined : parsePidStat(text);
        if (stat) {
          stats.push({ pid, stat });
        }
      }
    }
    const at = this.now();
    const seconds = this.previousAt === undefined ? 0 : (at - this.previousAt) / 1000;
    const ticks = new Map<number, number>();
    const processes = [];
    let running = 0;
    for (const { pid, stat } of stats) {
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

  private readStat(pid: number): string | undefined {
    let fd: number | undefined;
    try {
      fd = openSync(join(this.procfs, String(pid), 'stat'), 'r');
      const length = readSync(fd, this.buffer, 0, STAT_BYTES, 0);
      return this.buffer.toString('latin1', 0, length);
    } catch {
      return undefined;
    } finally {
      if (fd !== undefined) {
        closeSync(fd);
      }
    }
  }
}
