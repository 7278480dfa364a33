import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { type PciDeviceId, scanPciIds } from './drm-gpu.parser.js';

/** Where distributions install the PCI ids database (pciutils, hwdata), first found wins. */
export const PCI_IDS_PATHS: readonly string[] = [
  '/usr/share/misc/pci.ids',
  '/usr/share/hwdata/pci.ids',
];

/**
 * The database's names for `wanted` devices (keyed `vendor:device`), read once at startup as a
 * stream that stops past the last wanted vendor. No database (a slim container) → no names.
 */
export async function readPciNames(
  paths: readonly string[],
  wanted: readonly PciDeviceId[],
): Promise<Map<string, string>> {
  if (wanted.length === 0) {
    return new Map();
  }
  for (const path of paths) {
    const file = await open(path).catch(() => undefined);
    if (!file) {
      continue;
    }
    // The stream owns the descriptor: destroying it, done or not, closes the file.
    const stream = file.createReadStream({ encoding: 'utf8' });
    const lines = createInterface({ input: stream, crlfDelay: Infinity });
    try {
      return await scanPciIds(lines, wanted);
    } catch {
      return new Map();
    } finally {
      lines.close();
      stream.destroy();
    }
  }
  return new Map();
}
