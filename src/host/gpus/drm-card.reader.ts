import { join } from 'node:path';
import type { GpuStatsDto } from '../../hub/dto/gpu-stats.dto.js';
import { type DrmCard, pathExists, readSysfsText } from './drm-card.probe.js';
import { isRuntimeSuspended, parseDpmLevels, parseSysfsInteger } from './drm-gpu.parser.js';

/** A card's figures, all but its index (which depends on the GPUs read before it). */
export type DrmGpuFigures = Omit<GpuStatsDto, 'index'>;
type Readings = Omit<DrmGpuFigures, 'name' | 'vendor'>;

type PowerState = 'awake' | 'asleep' | 'gone';

const round1 = (value: number): number => Math.round(value * 10) / 10;
const round2 = (value: number): number => Math.round(value * 100) / 100;

const NOTHING: Readings = {
  utilization: null,
  memoryUsed: null,
  memoryTotal: null,
  memoryUsage: null,
  temperatureC: null,
  powerW: null,
  powerLimitW: null,
  fanPercent: null,
  clockMHz: null,
  clockMaxMHz: null,
};

/**
 * Fan speed as % of the fan's maximum: RPM over `fan1_max` where the driver knows both; else the
 * PWM duty (`pwm1` of `pwm1_max`, 255 in amdgpu), what the fan is driven at rather than how fast
 * it turns. i915 and xe report RPM without a maximum: no %.
 */
function fanPercent(
  rpm: number | null,
  maxRpm: number | null,
  pwm: number | null,
  pwmMax: number | null,
): number | null {
  if (rpm !== null && maxRpm !== null && maxRpm > 0) {
    return Math.round((rpm / maxRpm) * 100);
  }
  return pwm !== null && pwmMax !== null && pwmMax > 0 ? Math.round((pwm / pwmMax) * 100) : null;
}

const readInteger = async (path: string | null): Promise<number | null> => {
  const text = path === null ? null : await readSysfsText(path);
  return text === null ? null : parseSysfsInteger(text);
};

/**
 * One AMD or Intel GPU, read every tick from the files its probe found, all at once and without
 * blocking: a hwmon driver may sleep on its bus. A file that is gone or holds garbage leaves its
 * figure null; the card is left out only when its device is gone.
 */
export class DrmCardReader {
  // The energy counter's last reading: power is the energy drawn between two readings.
  private baseline: { microjoules: number; at: number } | null = null;
  // The limits as last read awake, kept while the GPU sleeps (reading them would wake it).
  private limits: Pick<DrmGpuFigures, 'clockMaxMHz' | 'powerLimitW'> = {
    clockMaxMHz: null,
    powerLimitW: null,
  };

  // How long an idle GPU that may sleep is left alone (its autosuspend delay and a second), and
  // the figures it showed then: 0 where runtime PM is off (`power/control` is `on`).
  private restMs = 0;
  private resting: { until: number; figures: DrmGpuFigures } | null = null;

  constructor(
    readonly card: DrmCard,
    readonly name: string,
    private readonly now: () => number,
  ) {}

  /** Takes the energy counter's first reading, so that the first tick has a power figure. */
  async start(): Promise<void> {
    const power = join(this.card.device, 'power');
    const [control, delay] = await Promise.all([
      readSysfsText(join(power, 'control')),
      readInteger(join(power, 'autosuspend_delay_ms')),
    ]);
    this.restMs = control?.trim() === 'auto' && delay !== null && delay >= 0 ? delay + 1000 : 0;
    if (this.card.files.energy !== null && (await this.powerState()) === 'awake') {
      this.power(await readInteger(this.card.files.energy), this.now());
    }
  }

  /** The card's figures now; null when its device is gone. */
  async read(): Promise<DrmGpuFigures | null> {
    const state = await this.powerState();
    if (state === 'awake') {
      return this.readAwake();
    }
    // A new baseline after the gap: power over a sleep would not be power now.
    this.baseline = null;
    this.resting = null;
    return state === 'gone' ? null : this.asleep();
  }

  /**
   * Reading a sensor file takes a runtime-PM reference and restarts the autosuspend delay (5 s on
   * amdgpu), so a GPU read every tick could never sleep. An idle one that may sleep (0 % busy, or
   * Intel's GT at 0 MHz) is left alone for its delay and a second, showing the idle figures it
   * just gave: it then sleeps (and reads as asleep) or, kept awake by something else, is read
   * again. A busy GPU is read every tick.
   */
  private async readAwake(): Promise<DrmGpuFigures> {
    const at = this.now();
    if (this.resting !== null && at < this.resting.until) {
      return this.resting.figures;
    }
    const figures = await (this.card.vendor === 'amd' ? this.readAmd() : this.readIntel());
    const idle = this.card.vendor === 'amd' ? figures.utilization === 0 : figures.clockMHz === 0;
    this.resting = this.restMs > 0 && idle ? { until: at + this.restMs, figures } : null;
    return figures;
  }

  /**
   * Whether the device is runtime-suspended: then amdgpu's, i915's and xe's sensor files would
   * resume it to answer (pm_runtime_get_sync), a dGPU drawing watts on a laptop's battery for a
   * figure. `runtime_status` itself is the PM core's and never wakes it.
   */
  private async powerState(): Promise<PowerState> {
    const status = await readSysfsText(this.card.files.runtimeStatus);
    if (status !== null) {
      return isRuntimeSuspended(status) ? 'asleep' : 'awake';
    }
    // No runtime PM (a kernel without CONFIG_PM, or a tree without power/): there or gone.
    return (await pathExists(this.card.device)) ? 'awake' : 'gone';
  }

  /**
   * A sleeping GPU is idle: amdgpu's is 0 % busy; the live figures are unknown without waking it;
   * VRAM size and limits are as last known.
   */
  private asleep(): DrmGpuFigures {
    return {
      name: this.name,
      vendor: this.card.vendor,
      ...NOTHING,
      utilization: this.card.vendor === 'amd' ? 0 : null,
      memoryTotal: this.card.memoryTotal,
      ...this.limits,
    };
  }

  private async readAmd(): Promise<DrmGpuFigures> {
    const files = this.card.files;
    const [busy, memoryUsed, levels, clockHz, temperature, power, limit, rpm, maxRpm, pwm, pwmMax] =
      await Promise.all([
        readInteger(files.busy),
        readInteger(files.memoryUsed),
        files.dpmLevels === null ? null : readSysfsText(files.dpmLevels),
        readInteger(files.clockHz),
        readInteger(files.temperature),
        readInteger(files.power),
        readInteger(files.powerLimit),
        readInteger(files.fan),
        readInteger(files.fanMax),
        readInteger(files.pwm),
        readInteger(files.pwmMax),
      ]);
    const dpm = levels === null ? null : parseDpmLevels(levels);
    const total = this.card.memoryTotal;
    return this.awake({
      utilization: busy,
      memoryUsed,
      memoryTotal: total,
      memoryUsage:
        memoryUsed !== null && total !== null && total > 0
          ? round2((memoryUsed / total) * 100)
          : null,
      temperatureC: temperature === null ? null : round1(temperature / 1000),
      powerW: power === null ? null : round1(power / 1e6),
      powerLimitW: limit === null || limit <= 0 ? null : round1(limit / 1e6),
      fanPercent: fanPercent(rpm, maxRpm, pwm, pwmMax ?? (files.pwm === null ? null : 255)),
      // The measured clock (hwmon freq1_input, the SMU's average); the starred DPM level is the
      // step it was last set to, which the clock moves between on RDNA.
      clockMHz: clockHz === null ? (dpm?.currentMHz ?? null) : Math.round(clockHz / 1e6),
      clockMaxMHz: dpm?.maxMHz ?? null,
    });
  }

  private async readIntel(): Promise<DrmGpuFigures> {
    const files = this.card.files;
    const at = this.now();
    const [clock, clockMax, temperature, energy, limit] = await Promise.all([
      readInteger(files.clockMHz),
      readInteger(files.clockMaxMHz),
      readInteger(files.temperature),
      readInteger(files.energy),
      readInteger(files.powerLimit),
    ]);
    return this.awake({
      ...NOTHING,
      temperatureC: temperature === null ? null : round1(temperature / 1000),
      powerW: this.power(energy, at),
      // PL1; 0 means the limit is disabled (sysfs-driver-intel-i915-hwmon).
      powerLimitW: limit === null || limit <= 0 ? null : round1(limit / 1e6),
      clockMHz: clock,
      clockMaxMHz: clockMax,
    });
  }

  /** Watts between the last reading of the energy counter and this one; null on the first. */
  private power(microjoules: number | null, at: number): number | null {
    const before = this.baseline;
    this.baseline = microjoules === null ? null : { microjoules, at };
    if (before === null || microjoules === null) {
      return null;
    }
    const seconds = (at - before.at) / 1000;
    const joules = (microjoules - before.microjoules) / 1e6;
    // A counter that went back was reset (the driver reloaded): the next reading tells.
    return seconds > 0 && joules >= 0 ? round1(joules / seconds) : null;
  }

  private awake(figures: Readings): DrmGpuFigures {
    this.limits = { clockMaxMHz: figures.clockMaxMHz, powerLimitW: figures.powerLimitW };
    return { name: this.name, vendor: this.card.vendor, ...figures };
  }
}
