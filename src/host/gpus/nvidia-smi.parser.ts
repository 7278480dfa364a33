import type { GpuStatsDto } from '../../hub/dto/gpu-stats.dto.js';

/** What `--query-gpu` asks for, in this order; nvidia-smi prints the columns in the order asked. */
export const GPU_QUERY_FIELDS = [
  'index',
  'name',
  'utilization.gpu',
  'memory.used',
  'memory.total',
  'temperature.gpu',
  'power.draw',
  'power.limit',
  'fan.speed',
  'clocks.sm',
  'clocks.max.sm',
] as const;

/** What `--query-compute-apps` asks for. */
export const COMPUTE_APPS_FIELDS = ['gpu_uuid', 'pid', 'used_memory'] as const;

// Without units, nvidia-smi prints memory in MiB.
const MIB = 1024 * 1024;
const NUMBER = /^-?\d+(?:\.\d+)?$/;
const INTEGER = /^\d+$/;
// The figures after the name: every field but index and name.
const FIGURES = GPU_QUERY_FIELDS.length - 2;
// nvidia-smi's answer when NVML lost the GPU (NVML_ERROR_GPU_IS_LOST), in any field.
const GPU_IS_LOST = '[GPU is lost]';
// Messages, on stdout or stderr, meaning "no NVIDIA GPU to read here": no device, no driver
// loaded, a driver that does not match the library. Asking again is worth it only now and then.
const UNAVAILABLE =
  /No devices were found|couldn't communicate with the NVIDIA driver|Failed to initialize NVML/i;
// An error line nvidia-smi prints in place of the row of a GPU it cannot open.
const DEVICE_ERROR = /Unable to determine the device handle|GPU is lost/i;
const MESSAGE_CHARS = 200;

/** The arguments of the long-running GPU query, printing every `intervalMs`. */
export function gpuQueryArgs(intervalMs: number): string[] {
  return loop(`--query-gpu=${GPU_QUERY_FIELDS.join(',')}`, intervalMs);
}

/** The arguments of the long-running query of the processes holding GPU memory. */
export function computeAppsArgs(intervalMs: number): string[] {
  return loop(`--query-compute-apps=${COMPUTE_APPS_FIELDS.join(',')}`, intervalMs);
}

function loop(query: string, intervalMs: number): string[] {
  return [
    query,
    '--format=csv,noheader,nounits',
    '-lms',
    String(Math.max(1, Math.round(intervalMs))),
  ];
}

/** One row of the GPU query. */
export interface NvidiaGpuRow {
  index: number;
  /** Null when nvidia-smi could not tell it (`[GPU is lost]`). */
  name: string | null;
  /** Some field read `[GPU is lost]`: the GPU fell off the bus. */
  lost: boolean;
  utilization: number | null;
  /** Bytes. */
  memoryUsed: number | null;
  /** Bytes. */
  memoryTotal: number | null;
  temperatureC: number | null;
  powerW: number | null;
  powerLimitW: number | null;
  fanPercent: number | null;
  clockMHz: number | null;
  clockMaxMHz: number | null;
}

/** One row of the compute-apps query: a process's memory on one GPU. */
export interface NvidiaComputeApp {
  gpuUuid: string;
  pid: number;
  /** Bytes; null where the driver does not tell (Windows WDDM prints `[N/A]`). */
  memoryBytes: number | null;
}

/**
 * A value as nvidia-smi prints it without units: a number; null for what it cannot read
 * (`[N/A]`, `[Not Supported]`, `[Unknown Error]`, `[GPU is lost]`, any bracketed text, and a
 * bare `N/A`); undefined for anything else (the line is not a row).
 */
export function parseValue(text: string): number | null | undefined {
  const value = text.trim();
  if (NUMBER.test(value)) {
    return Number(value);
  }
  if ((value.startsWith('[') && value.endsWith(']')) || value === 'N/A') {
    return null;
  }
  return undefined;
}

/**
 * A row of `--query-gpu` with {@link GPU_QUERY_FIELDS}, or undefined for any other line (an
 * error message, a header, a line cut short). The CSV is not quoted, so the index is read from
 * the start and the figures from the end: a name holding a comma still parses.
 */
export function parseGpuRow(line: string): NvidiaGpuRow | undefined {
  const first = line.indexOf(',');
  if (first < 0 || !INTEGER.test(line.slice(0, first).trim())) {
    return undefined;
  }
  const index = Number(line.slice(0, first).trim());
  const texts: string[] = [];
  let end = line.length;
  while (texts.length < FIGURES) {
    const comma = line.lastIndexOf(',', end - 1);
    if (comma <= first) {
      return undefined;
    }
    texts.unshift(line.slice(comma + 1, end));
    end = comma;
  }
  const nameText = line.slice(first + 1, end).trim();
  const figures = texts.map(parseValue);
  if (nameText === '' || figures.some((figure) => figure === undefined)) {
    return undefined;
  }
  const [utilization, used, total, temperatureC, powerW, powerLimitW, fan, clock, clockMax] =
    figures as (number | null)[];
  const named = parseValue(nameText) === null ? null : nameText;
  return {
    index,
    name: named,
    lost: nameText === GPU_IS_LOST || texts.some((text) => text.trim() === GPU_IS_LOST),
    utilization: utilization ?? null,
    memoryUsed: mib(used),
    memoryTotal: mib(total),
    temperatureC: temperatureC ?? null,
    powerW: powerW ?? null,
    powerLimitW: powerLimitW ?? null,
    fanPercent: fan ?? null,
    clockMHz: clock ?? null,
    clockMaxMHz: clockMax ?? null,
  };
}

/** A row of `--query-compute-apps` with {@link COMPUTE_APPS_FIELDS}, or undefined. */
export function parseComputeAppRow(line: string): NvidiaComputeApp | undefined {
  const fields = line.split(',').map((field) => field.trim());
  if (fields.length !== COMPUTE_APPS_FIELDS.length) {
    return undefined;
  }
  const [gpuUuid = '', pid = '', memory = ''] = fields;
  const bytes = parseValue(memory);
  if (!/^[\w-]+$/.test(gpuUuid) || !INTEGER.test(pid) || Number(pid) === 0 || bytes === undefined) {
    return undefined;
  }
  return { gpuUuid, pid: Number(pid), memoryBytes: mib(bytes) };
}

/** A row as the sample carries it; `name` stands in for a name nvidia-smi could not read. */
export function toGpuStats(row: NvidiaGpuRow, name: string): GpuStatsDto {
  return {
    index: row.index,
    name: row.name ?? name,
    vendor: 'nvidia',
    utilization: row.utilization,
    memoryUsed: row.memoryUsed,
    memoryTotal: row.memoryTotal,
    memoryUsage: memoryUsage(row.memoryUsed, row.memoryTotal),
    temperatureC: row.temperatureC,
    powerW: row.powerW,
    powerLimitW: row.powerLimitW,
    fanPercent: row.fanPercent,
    clockMHz: row.clockMHz,
    clockMaxMHz: row.clockMaxMHz,
  };
}

/** Used memory as % of the total, to two decimals; null without both or with a total of 0. */
export function memoryUsage(used: number | null, total: number | null): number | null {
  if (used === null || total === null || total <= 0) {
    return null;
  }
  return Math.round((used / total) * 100 * 100) / 100;
}

/** Whether nvidia-smi's message means there is no NVIDIA GPU to read (for now). */
export function isUnavailable(message: string): boolean {
  return UNAVAILABLE.test(message);
}

/** Whether a line is nvidia-smi's complaint about one GPU (printed in place of its row). */
export function isDeviceError(line: string): boolean {
  return DEVICE_ERROR.test(line);
}

/** Text from nvidia-smi for a log line: one line, printable, bounded. */
export function printable(text: string): string {
  return Array.from(text, (char) => (char < ' ' || char === '\u007f' ? ' ' : char))
    .join('')
    .replace(/ +/g, ' ')
    .trim()
    .slice(0, MESSAGE_CHARS);
}

/**
 * Cuts a stream's text into lines, whatever the chunks: a line split across chunks is joined,
 * a trailing `\r` dropped, and a line longer than `maxLength` dropped whole (`onOverlong` once
 * per such line) instead of growing without bound. `end()` hands over a last unterminated line.
 */
export function lineSplitter(
  maxLength: number,
  onLine: (line: string) => void,
  onOverlong: () => void,
): { push: (chunk: string) => void; end: () => void } {
  let pending = '';
  // Inside an overlong line: everything up to its newline is dropped.
  let skipping = false;
  const emit = (line: string) => {
    if (line.length > maxLength) {
      onOverlong();
    } else {
      onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
    }
  };
  return {
    push(chunk) {
      let start = 0;
      for (;;) {
        const newline = chunk.indexOf('\n', start);
        if (newline < 0) {
          if (!skipping) {
            pending += chunk.slice(start);
            if (pending.length > maxLength) {
              pending = '';
              skipping = true;
              onOverlong();
            }
          }
          return;
        }
        if (skipping) {
          skipping = false;
        } else {
          emit(pending + chunk.slice(start, newline));
        }
        pending = '';
        start = newline + 1;
      }
    },
    end() {
      if (!skipping && pending !== '') {
        emit(pending);
      }
      pending = '';
      skipping = false;
    },
  };
}

function mib(value: number | null | undefined): number | null {
  return value === null || value === undefined ? null : value * MIB;
}
