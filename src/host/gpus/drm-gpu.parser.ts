// Parsers for what the amdgpu, i915 and xe drivers write in sysfs, and for the PCI ids database.
// Text in, figures out: nothing here touches the file system.

/** The PCI ids of a device, as 4 lower-case hex digits each: `{ vendor: '1002', device: '73bf' }`. */
export interface PciDeviceId {
  vendor: string;
  device: string;
}

/** The current and the highest level of a `pp_dpm_*` file, MHz. */
export interface DpmLevels {
  currentMHz: number | null;
  maxMHz: number | null;
}

/** An integer as sysfs writes one (`"44000\n"`); null for anything else, `""` included. */
export function parseSysfsInteger(text: string): number | null {
  const trimmed = text.trim();
  return /^-?\d+$/.test(trimmed) ? Number(trimmed) : null;
}

/** A PCI id file (`"0x1002\n"`) as 4 lower-case hex digits; null when it is not one. */
export function parsePciHexId(text: string): string | null {
  const match = /^0x([0-9a-f]{4})$/i.exec(text.trim());
  return match ? match[1]!.toLowerCase() : null;
}

/** A device's `uevent` (`KEY=value` lines). */
export function parseUevent(text: string): Map<string, string> {
  const entries = new Map<string, string>();
  for (const line of text.split('\n')) {
    const equals = line.indexOf('=');
    if (equals > 0) {
      entries.set(line.slice(0, equals), line.slice(equals + 1).trim());
    }
  }
  return entries;
}

/** `PCI_ID=1002:73BF` of a uevent; null when absent or malformed. */
export function pciIdFromUevent(uevent: Map<string, string>): PciDeviceId | null {
  const match = /^([0-9a-f]{4}):([0-9a-f]{4})$/i.exec(uevent.get('PCI_ID') ?? '');
  return match ? { vendor: match[1]!.toLowerCase(), device: match[2]!.toLowerCase() } : null;
}

/**
 * amdgpu's `pp_dpm_sclk`: one line per level, `1: 1800Mhz *`, the star on the current one. Levels
 * are numbered, or lettered for a clock between them (`S: 19Mhz *` in deep sleep on SMU 13); the
 * highest is the top of the range. Without a star there is no current level, not a guess.
 */
export function parseDpmLevels(text: string): DpmLevels {
  let currentMHz: number | null = null;
  let maxMHz: number | null = null;
  for (const line of text.split('\n')) {
    const match = /^\s*\w+:\s*(\d+)\s*mhz\s*(\*)?\s*$/i.exec(line);
    if (!match) {
      continue;
    }
    const mhz = Number(match[1]);
    maxMHz = maxMHz === null ? mhz : Math.max(maxMHz, mhz);
    if (match[2] !== undefined) {
      currentMHz = mhz;
    }
  }
  return { currentMHz, maxMHz };
}

/**
 * Whether a device's `power/runtime_status` says it is powered down (or going there): then the
 * driver's sensor files would resume it to answer.
 */
export function isRuntimeSuspended(status: string): boolean {
  const state = status.trim();
  return state === 'suspended' || state === 'suspending';
}

/** A hwmon channel: the number in `temp2_input`, and its `temp2_label` when it has one. */
export interface HwmonChannel {
  index: number;
  label: string | null;
}

/**
 * The channel to report as the GPU's temperature: the first of `preferred` labels present, else
 * the lowest-numbered channel whose label is not a memory's (`mem`, `vram`); null when only memory
 * is measured, which is not the core temperature.
 */
export function pickTemperature(
  channels: readonly HwmonChannel[],
  preferred: readonly string[],
): number | null {
  for (const label of preferred) {
    const found = channels.find((channel) => channel.label === label);
    if (found) {
      return found.index;
    }
  }
  const core = channels
    .filter((channel) => channel.label === null || !/^(mem|vram)/.test(channel.label))
    .sort((a, b) => a.index - b.index);
  return core[0]?.index ?? null;
}

/** `1002:73bf`: how names are keyed. */
export function pciIdKey(id: PciDeviceId): string {
  return `${id.vendor}:${id.device}`;
}

/**
 * Names of `wanted` devices from the lines of a `pci.ids` file (vendor lines at column 0, device
 * lines after one tab, subsystems after two). Vendors are sorted there, so reading stops past the
 * last wanted vendor: most of the file is never looked at. Keys are `vendor:device`.
 */
export async function scanPciIds(
  lines: AsyncIterable<string> | Iterable<string>,
  wanted: readonly PciDeviceId[],
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const keys = new Set(wanted.map(pciIdKey));
  const vendors = new Set(wanted.map((id) => id.vendor));
  const lastVendor = [...vendors].sort().at(-1);
  let vendor: string | null = null;
  for await (const line of lines) {
    if (line === '' || line.startsWith('#') || line.startsWith('\t\t')) {
      continue;
    }
    if (!line.startsWith('\t')) {
      const match = /^([0-9a-f]{4})\s/.exec(line);
      // The device classes (`C 03  Display controller`) follow the last vendor.
      if (!match || lastVendor === undefined || match[1]! > lastVendor) {
        break;
      }
      vendor = vendors.has(match[1]!) ? match[1]! : null;
      continue;
    }
    const match = vendor === null ? null : /^\t([0-9a-f]{4})\s+(.+)$/.exec(line);
    if (match && keys.has(`${vendor}:${match[1]}`)) {
      names.set(`${vendor}:${match[1]}`, match[2]!.trim());
    }
  }
  return names;
}

const VENDOR_NAMES = { amd: 'AMD', intel: 'Intel' } as const;

/**
 * A GPU's name: the driver's product name (amdgpu reads it from the board), else the PCI ids
 * database's device name, its marketing part in brackets when it has one (`Navi 21 [Radeon RX
 * 6800/6800 XT / 6900 XT]` → `AMD Radeon RX 6800/6800 XT / 6900 XT`), else the ids themselves.
 */
export function gpuName(
  vendor: keyof typeof VENDOR_NAMES,
  productName: string | null,
  databaseName: string | null,
  id: PciDeviceId | null,
): string {
  const maker = VENDOR_NAMES[vendor];
  if (productName) {
    return productName;
  }
  if (databaseName) {
    const marketing = /\[([^\]]+)\]$/.exec(databaseName)?.[1] ?? databaseName;
    return marketing.startsWith(`${maker} `) ? marketing : `${maker} ${marketing}`;
  }
  return id ? `${maker} GPU [${id.vendor}:${id.device}]` : `${maker} GPU`;
}
