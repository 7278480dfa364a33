import type { ProcessesDto } from '../../hub/dto/processes.dto.js';

/**
 * The process table with each top process's GPU memory (pid → bytes, from nvidia-smi's compute
 * apps) added as `gpuMemory`; a process holding none is left as it is.
 */
export function withGpuMemory(
  processes: ProcessesDto,
  gpuMemory: ReadonlyMap<number, number>,
): ProcessesDto {
  if (gpuMemory.size === 0) {
    return processes;
  }
  return {
    ...processes,
    top: processes.top.map((process) => {
      const bytes = gpuMemory.get(process.pid);
      return bytes === undefined ? process : { ...process, gpuMemory: bytes };
    }),
  };
}
