import { access, readFile, readdir, readlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import {
  type HwmonChannel,
  type PciDeviceId,
  parsePciHexId,
  parseSysfsInteger,
  parseUevent,
  pciIdFromUevent,
  pickTemperature,
} from './drm-gpu.parser.js';

// Probes of /sys/class/drm made once at startup: which cards are AMD or Intel GPUs, what they
// are called, and which of their files hold each figure. Listing a directory and reading a
// label, a name or a uevent never wakes a GPU; the sensor files themselves are left to the tick.

/** The drivers read here, and their makers. NVIDIA's cards are read through nvidia-smi. */
const DRIVERS = { amdgpu: 'amd', i915: 'intel', xe: 'intel' } as const;
export type DrmDriver = keyof typeof DRIVERS;

/** The files a card's figures come from; null where the card has no such file. */
export interface DrmCardFiles {
  /** `device/power/runtime_status`, read before anything else (may be absent without runtime PM). */
  runtimeStatus: string;
  /** amdgpu `gpu_busy_percent`, %. */
  busy: string | null;
  /** amdgpu `mem_info_vram_used`, bytes. */
  memoryUsed: string | null;
  /** amdgpu `pp_dpm_sclk`: the shader clock's levels. */
  dpmLevels: string | null;
  /** amdgpu hwmon `freq1_input` (labelled `sclk`), Hz. */
  clockHz: string | null;
  /** i915 `gt_act_freq_mhz`, xe `tile0/gt0/freq0/act_freq` (or their `cur`), MHz. */
  clockMHz: string | null;
  /** i915 `gt_max_freq_mhz`, xe `tile0/gt0/freq0/max_freq`, MHz. */
  clockMaxMHz: string | null;
  /** hwmon `temp<n>_input`, millidegrees Celsius. */
  temperature: string | null;
  /** amdgpu hwmon `power1_average` or `power1_input`, microwatts. */
  power: string | null;
  /** i915 and xe hwmon `energy<n>_input`, microjoules since the driver loaded. */
  energy: string | null;
  /** amdgpu `power1_cap`, i915 and xe `power<n>_max`, microwatts. */
  powerLimit: string | null;
  /** hwmon `fan1_input` and `fan1_max`, RPM. */
  fan: string | null;
  fanMax: string | null;
  /** hwmon `pwm1` and `pwm1_max` (0–255). */
  pwm: string | null;
  pwmMax: string | null;
}

/** An AMD or Intel GPU's DRM card, as found at startup. */
export interface DrmCard {
  /** `card0`. */
  card: string;
  /** `<sysfs>/class/drm/card0/device`: the PCI device. */
  device: string;
  driver: DrmDriver;
  vendor: (typeof DRIVERS)[DrmDriver];
  id: PciDeviceId | null;
  /** amdgpu's `product_name` (from the board's FRU), when it has one. */
  productName: string | null;
  /** amdgpu's VRAM size, bytes: a constant the driver answers without waking the GPU. */
  memoryTotal: number | null;
  files: DrmCardFiles;
}

/** A file's text; null when it cannot be read (gone, or the driver refused). */
export function readSysfsText(path: string): Promise<string | null> {
  return readFile(path, 'latin1').catch(() => null);
}

/** Whether a path exists (a device still there); a symlink is followed. */
export function pathExists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

const listing = (dir: string): Promise<Set<string>> =>
  readdir(dir).then(
    (names) => new Set(names),
    () => new Set<string>(),
  );

const numbered = (names: Iterable<string>, pattern: RegExp): number[] =>
  [...names]
    .map((name) => pattern.exec(name)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .sort((a, b) => a - b);

/**
 * The AMD and Intel GPUs among `<sysfs>/class/drm/card<N>`, in card order. Connectors
 * (`card0-DP-1`), render nodes and cards of other drivers (nvidia, simpledrm, virtio_gpu) are
 * left out, the last reported through `skipped`. No /sys/class/drm → no cards.
 */
export async function findDrmCards(
  sysfs: string,
  skipped: (card: string, driver: string | null) => void = () => undefined,
): Promise<DrmCard[]> {
  const drm = join(sysfs, 'class/drm');
  const cards = numbered(await listing(drm), /^card(\d+)$/).map((n) => `card${n}`);
  const found = await Promise.all(cards.map((card) => probeCard(drm, card, skipped)));
  return found.filter((card): card is DrmCard => card !== null);
}

async function probeCard(
  drm: string,
  card: string,
  skipped: (card: string, driver: string | null) => void,
): Promise<DrmCard | null> {
  const dir = join(drm, card);
  const device = join(dir, 'device');
  // The bound driver is the basename of the link `device/driver -> …/bus/pci/drivers/amdgpu`.
  const driver = await readlink(join(device, 'driver')).then(basename, () => null);
  if (driver === null || !Object.hasOwn(DRIVERS, driver)) {
    skipped(card, driver);
    return null;
  }
  const known = driver as DrmDriver;
  const vendor = DRIVERS[known];
  const [id, productName, hwmon] = await Promise.all([
    pciId(device),
    readSysfsText(join(device, 'product_name')).then((text) => text?.trim() || null),
    probeHwmon(device, known),
  ]);
  const base = { card, device, driver: known, vendor, id, productName };
  return vendor === 'amd'
    ? { ...base, ...(await probeAmd(device, hwmon)) }
    : { ...base, memoryTotal: null, files: await probeIntel(dir, device, known, hwmon) };
}

/** `PCI_ID` of the device's uevent, else its `vendor` and `device` files. */
async function pciId(device: string): Promise<PciDeviceId | null> {
  const uevent = await readSysfsText(join(device, 'uevent'));
  const fromUevent = uevent === null ? null : pciIdFromUevent(parseUevent(uevent));
  if (fromUevent) {
    return fromUevent;
  }
  const [vendor, model] = await Promise.all(
    ['vendor', 'device'].map(async (name) => {
      const text = await readSysfsText(join(device, name));
      return text === null ? null : parsePciHexId(text);
    }),
  );
  return vendor && model ? { vendor, device: model } : null;
}

type HwmonFiles = Pick<
  DrmCardFiles,
  | 'temperature'
  | 'power'
  | 'energy'
  | 'powerLimit'
  | 'fan'
  | 'fanMax'
  | 'pwm'
  | 'pwmMax'
  | 'clockHz'
>;

const NO_HWMON: HwmonFiles = {
  temperature: null,
  power: null,
  energy: null,
  powerLimit: null,
  fan: null,
  fanMax: null,
  pwm: null,
  pwmMax: null,
  clockHz: null,
};

// The temperature reported, by label. amdgpu: `edge` (temp1) is the die sensor it calls the
// GPU's temperature, the one to set beside nvidia-smi's temperature.gpu and its thresholds;
// `junction` (temp2) is the die's hottest spot, well above edge under load, taken only where
// edge is hidden (Instinct MI300 and later multi-die parts). xe: `pkg` (temp2), not `vram`
// (temp3). i915 has one unlabelled temp1, the package.
const TEMPERATURE_LABELS: Record<DrmDriver, readonly string[]> = {
  amdgpu: ['edge', 'junction'],
  i915: ['pkg'],
  xe: ['pkg'],
};

/** The driver's own hwmon device under the PCI device, and the files of each figure. */
async function probeHwmon(device: string, driver: DrmDriver): Promise<HwmonFiles> {
  const root = join(device, 'hwmon');
  const dirs = numbered(await listing(root), /^hwmon(\d+)$/).map((n) => join(root, `hwmon${n}`));
  const names = await Promise.all(dirs.map((dir) => readSysfsText(join(dir, 'name'))));
  // i915 adds per-GT devices (`i915_gt0`) beside the card's own (`i915`) on multi-tile parts.
  const dir = dirs[names.findIndex((name) => name?.trim() === driver)] ?? dirs[0];
  if (dir === undefined) {
    return NO_HWMON;
  }
  const files = await listing(dir);
  const file = (name: string): string | null => (files.has(name) ? join(dir, name) : null);
  const labelled = (kind: string): Promise<HwmonChannel[]> =>
    Promise.all(
      numbered(files, new RegExp(`^${kind}(\\d+)_input$`)).map(async (index) => ({
        index,
        label: (await readSysfsText(join(dir, `${kind}${index}_label`)))?.trim() || null,
      })),
    );
  const [temperatures, frequencies] = await Promise.all([labelled('temp'), labelled('freq')]);
  const temperature = pickTemperature(temperatures, TEMPERATURE_LABELS[driver]);
  // amdgpu: freq1 is the shader clock (sclk), freq2 the memory's.
  const sclk = frequencies.find((channel) => channel.label === 'sclk')?.index;
  // i915 and xe count energy per channel (xe: 1 the card, 2 the package); the lowest is the
  // widest, the whole board like nvidia-smi's power.draw, and its limit is the same channel's.
  const energy = numbered(files, /^energy(\d+)_input$/)[0];
  return {
    temperature: temperature === null ? null : join(dir, `temp${temperature}_input`),
    // amdgpu has one of the two: power1_input since Linux 6.6 on parts whose SMU reports no
    // average. With both (some APUs), the average over the SMU's window is read: a reading a
    // tick stands for, where an instant would be noise.
    power: driver === 'amdgpu' ? (file('power1_average') ?? file('power1_input')) : null,
    energy: driver === 'amdgpu' || energy === undefined ? null : join(dir, `energy${energy}_input`),
    powerLimit: driver === 'amdgpu' ? file('power1_cap') : file(`power${energy ?? 1}_max`),
    fan: file('fan1_input'),
    fanMax: file('fan1_max'),
    pwm: file('pwm1'),
    pwmMax: file('pwm1_max'),
    clockHz:
      driver === 'amdgpu' ? file(sclk === undefined ? 'freq1_input' : `freq${sclk}_input`) : null,
  };
}

async function probeAmd(
  device: string,
  hwmon: HwmonFiles,
): Promise<Pick<DrmCard, 'memoryTotal' | 'files'>> {
  const files = await listing(device);
  const file = (name: string): string | null => (files.has(name) ? join(device, name) : null);
  const total = file('mem_info_vram_total');
  const text = total === null ? null : await readSysfsText(total);
  return {
    memoryTotal: text === null ? null : parseSysfsInteger(text),
    files: {
      runtimeStatus: join(device, 'power/runtime_status'),
      busy: file('gpu_busy_percent'),
      memoryUsed: file('mem_info_vram_used'),
      dpmLevels: file('pp_dpm_sclk'),
      clockMHz: null,
      clockMaxMHz: null,
      ...hwmon,
    },
  };
}

async function probeIntel(
  dir: string,
  device: string,
  driver: DrmDriver,
  hwmon: HwmonFiles,
): Promise<DrmCardFiles> {
  // i915 keeps the render GT's frequencies on the card (`card0/gt_act_freq_mhz`); xe per GT under
  // the PCI device (`device/tile0/gt0/freq0/act_freq`), gt0 being the render one (gt1 is media).
  const [where, act, cur, max] =
    driver === 'i915'
      ? [dir, 'gt_act_freq_mhz', 'gt_cur_freq_mhz', 'gt_max_freq_mhz']
      : [join(device, 'tile0/gt0/freq0'), 'act_freq', 'cur_freq', 'max_freq'];
  const files = await listing(where);
  const file = (name: string): string | null => (files.has(name) ? join(where, name) : null);
  return {
    runtimeStatus: join(device, 'power/runtime_status'),
    busy: null,
    memoryUsed: null,
    dpmLevels: null,
    // The actual frequency, what the hardware resolved (0 while the GT sleeps in RC6), not the
    // requested one (`cur`), which throttling may not grant: throttling shows, as in nvidia-smi's
    // clocks.sm. `cur` only where a kernel has no `act`.
    clockMHz: file(act) ?? file(cur),
    clockMaxMHz: file(max),
    ...hwmon,
  };
}
