import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';

// Probes of sysfs made once at startup: which block devices are whole physical disks, and
// which file reports the CPU temperature.

/** Block devices that would count the physical disks' I/O twice, or are not disks. */
export const VIRTUAL_DISK = /^(loop|ram|zram|dm-|md|nbd|sr|fd)/;
// hwmon drivers that report the CPU package temperature, best first.
const CPU_SENSORS = ['coretemp', 'k10temp', 'zenpower', 'cpu_thermal', 'soc_thermal', 'acpitz'];

/** Whole disks are the entries of /sys/block (partitions are not); virtual ones are left out. */
export async function findPhysicalDisks(sysfs: string): Promise<Set<string> | undefined> {
  try {
    const names = await readdir(join(sysfs, 'block'));
    return new Set(names.filter((name) => !VIRTUAL_DISK.test(name)));
  } catch {
    return undefined;
  }
}

/** The temp1_input of the best CPU hwmon device that reads as a number; null when none. */
export async function findCpuSensor(sysfs: string): Promise<string | null> {
  const hwmon = join(sysfs, 'class/hwmon');
  const devices = await readdir(hwmon).catch(() => [] as string[]);
  const ranked = await Promise.all(
    devices.map(async (device) => {
      const name = await readFile(join(hwmon, device, 'name'), 'utf8').catch(() => '');
      return { rank: CPU_SENSORS.indexOf(name.trim()), path: join(hwmon, device, 'temp1_input') };
    }),
  );
  const candidates = ranked.filter((sensor) => sensor.rank >= 0).sort((a, b) => a.rank - b.rank);
  for (const sensor of candidates) {
    if (Number.isFinite(Number(await readFile(sensor.path, 'utf8').catch(() => 'x')))) {
      return sensor.path;
    }
  }
  return null;
}
