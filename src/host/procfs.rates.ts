// Pure rates between two readings of the kernel's cumulative counters, kept apart from
// LinuxHostReader (which takes the readings) so they are tested with the recorded trees.
import type { DiskIoDto } from '../hub/dto/disk-io.dto.js';
import type { NetworkInterfaceDto } from '../hub/dto/network-interface.dto.js';
import { type DiskCounters, type InterfaceCounters, ratePerSecond } from './procfs.parser.js';

type DiskCounter = keyof Omit<DiskCounters, 'device'>;

/** Bytes per second of each interface but `lo`; null for one that was not there before. */
export function networkRates(
  before: readonly InterfaceCounters[],
  after: readonly InterfaceCounters[],
  seconds: number,
): NetworkInterfaceDto[] {
  const previous = new Map(before.map((counters) => [counters.iface, counters]));
  return after
    .filter((counters) => counters.iface !== 'lo')
    .map(({ iface, rxBytes, txBytes }) => {
      const last = previous.get(iface);
      return {
        iface,
        rxBytesPerSec: last ? ratePerSecond(last.rxBytes, rxBytes, seconds) : null,
        txBytesPerSec: last ? ratePerSecond(last.txBytes, txBytes, seconds) : null,
      };
    });
}

/** Bytes and operations per second summed over the disks present in both readings. */
export function diskIoRates(
  before: readonly DiskCounters[],
  after: readonly DiskCounters[],
  seconds: number,
): DiskIoDto {
  const sum = (disks: readonly DiskCounters[], key: DiskCounter) =>
    disks.reduce((total, disk) => total + disk[key], 0);
  // Rates over the devices present both times; a device that appeared has no rate yet.
  const common = new Set(before.map((disk) => disk.device));
  const now = after.filter((disk) => common.has(disk.device));
  const then = before.filter((disk) => now.some((d) => d.device === disk.device));
  const rate = (key: DiskCounter, scale = 1) => {
    const value = ratePerSecond(sum(then, key), sum(now, key), seconds);
    return value === null ? null : Math.round(value * scale * 100) / 100;
  };
  return {
    readBytesPerSec: rate('sectorsRead', 512),
    writeBytesPerSec: rate('sectorsWritten', 512),
    readOpsPerSec: rate('readsCompleted'),
    writeOpsPerSec: rate('writesCompleted'),
  };
}
