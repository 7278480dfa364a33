import { Logger } from '@nestjs/common';
import type { GpuStatsDto } from '../../hub/dto/gpu-stats.dto.js';
import { findDrmCards } from './drm-card.probe.js';
import { DrmCardReader } from './drm-card.reader.js';
import { gpuName, pciIdKey } from './drm-gpu.parser.js';
import { PCI_IDS_PATHS, readPciNames } from './drm-pci-ids.probe.js';

export interface DrmGpusOptions {
  /** The host's sysfs (VITALS_SYSFS). */
  sysfs: string;
  /** The PCI ids database, first found wins; by default where pciutils and hwdata put it. */
  pciIds?: readonly string[];
  /** A monotonic clock, ms: the power of an Intel GPU is its energy counter's rise over time. */
  now?: () => number;
}

/**
 * The host's AMD (amdgpu) and Intel (i915, xe) GPUs, from sysfs and without a fork: the cards are
 * found once, at start; each tick reads their files. A runtime-suspended GPU is not woken to be
 * read. Busy % comes from amdgpu's `gpu_busy_percent`; Intel's drivers tell it only through
 * perf (the i915 and xe PMUs need CAP_PERFMON) or per client in /proc/<pid>/fdinfo (other users'
 * processes need ptrace rights), so it is null there. xe's `gtidle/idle_residency_ms` is not one:
 * it counts the time the GT was power-gated (C6), and a GT can be awake with every engine idle.
 */
export class DrmGpusReader {
  private readonly logger = new Logger(DrmGpusReader.name);
  private cards: DrmCardReader[] = [];
  // The cards found gone at the last read: told once, when they go and when they come back.
  private readonly gone = new Set<string>();

  constructor(private readonly options: DrmGpusOptions) {}

  /** How many AMD and Intel GPUs were found at start. */
  get count(): number {
    return this.cards.length;
  }

  /** Finds the cards, their names and the first reading of their energy counters; never rejects. */
  async start(): Promise<void> {
    try {
      const cards = await findDrmCards(this.options.sysfs, (card, driver) =>
        this.logger.debug(`${card}: driver ${driver ?? 'none'}, not read from sysfs here`),
      );
      const unnamed = cards.flatMap((card) =>
        card.productName === null && card.id ? [card.id] : [],
      );
      const names = await readPciNames(this.options.pciIds ?? PCI_IDS_PATHS, unnamed);
      const now = this.options.now ?? (() => performance.now());
      this.cards = cards.map((card) => {
        const known = card.id ? (names.get(pciIdKey(card.id)) ?? null) : null;
        return new DrmCardReader(card, gpuName(card.vendor, card.productName, known, card.id), now);
      });
      await Promise.all(this.cards.map((card) => card.start()));
    } catch (error) {
      this.logger.warn(`AMD and Intel GPUs are not read: ${(error as Error).message}`);
      this.cards = [];
    }
  }

  /**
   * Every card's figures, numbered from `indexOffset` (the NVIDIA GPUs come first) in card order.
   * A card whose device is gone is left out, and the others keep their numbers.
   */
  async read(indexOffset: number): Promise<GpuStatsDto[]> {
    const figures = await Promise.all(this.cards.map((card) => card.read().catch(() => null)));
    const gpus: GpuStatsDto[] = [];
    figures.forEach((found, position) => {
      const card = this.cards[position]!.card.card;
      this.noteGone(card, found === null);
      if (found !== null) {
        gpus.push({ index: indexOffset + position, ...found });
      }
    });
    return gpus;
  }

  private noteGone(card: string, gone: boolean): void {
    if (gone && !this.gone.has(card)) {
      this.gone.add(card);
      this.logger.warn(`${card}: its device is gone; left out until it is back`);
    } else if (!gone && this.gone.delete(card)) {
      this.logger.log(`${card}: back`);
    }
  }
}
