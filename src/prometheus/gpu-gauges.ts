import type { GpuStatsDto } from '../hub/dto/gpu-stats.dto.js';
import type { Emit, Gauge } from './sample-gauge.js';
import type { Sample } from '../hub/sample.js';
import { ratio } from './sample-gauge.js';

// The index tells GPUs apart (two of a model share a name); name and vendor say what they are.
const gpuLabels = (g: GpuStatsDto) => ({ gpu: String(g.index), name: g.name, vendor: g.vendor });

const perGpu =
  (figure: (g: GpuStatsDto) => number | null) =>
  (s: Sample, emit: Emit): void =>
    s.gpus?.forEach((g) => emit(figure(g), gpuLabels(g)));

const HZ_PER_MHZ = 1e6;

/** Every GPU of the host (the `gpus` group), labelled gpu, name and vendor; a figure its driver
 * does not give has no series. */
export const GPU_GAUGES: Gauge[] = [
  [
    'vitals_gpu_utilization_ratio',
    'How busy a GPU was, 0-1 (absent where the driver does not say, e.g. Intel)',
    perGpu((g) => ratio(g.utilization)),
  ],
  ['vitals_gpu_memory_used_bytes', 'Video memory in use', perGpu((g) => g.memoryUsed)],
  ['vitals_gpu_memory_total_bytes', 'Video memory in all', perGpu((g) => g.memoryTotal)],
  [
    'vitals_gpu_memory_usage_ratio',
    'Video memory in use, 0-1 of the total',
    perGpu((g) => ratio(g.memoryUsage)),
  ],
  ['vitals_gpu_temperature_celsius', 'GPU core temperature', perGpu((g) => g.temperatureC)],
  ['vitals_gpu_power_watts', 'Power a GPU draws now', perGpu((g) => g.powerW)],
  [
    'vitals_gpu_power_limit_watts',
    'The power limit a GPU is held to',
    perGpu((g) => g.powerLimitW),
  ],
  [
    'vitals_gpu_fan_ratio',
    "A GPU fan's speed, 0-1 of its maximum",
    perGpu((g) => ratio(g.fanPercent)),
  ],
  [
    'vitals_gpu_clock_hertz',
    "A GPU's shader (SM, graphics) clock now",
    perGpu((g) => (g.clockMHz === null ? null : g.clockMHz * HZ_PER_MHZ)),
  ],
  [
    'vitals_gpu_clock_max_hertz',
    "A GPU's highest shader clock",
    perGpu((g) => (g.clockMaxMHz === null ? null : g.clockMaxMHz * HZ_PER_MHZ)),
  ],
];
