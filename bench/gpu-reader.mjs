// One side of the GPU bench's isolated measurement: `node bench/gpu-reader.mjs <seconds> on|off`
// reads the GPUs as the sampler does, once a second, through the compiled NvidiaGpusReader and
// the stand-in nvidia-smi (on), or only ticks (off), then prints its own CPU time as JSON.
// Nothing else runs in the process, so the difference is what reading nvidia-smi costs.
import { fileURLToPath } from 'node:url';

const [seconds = '60', mode = 'on'] = process.argv.slice(2);
const STAND_IN = fileURLToPath(new URL('../test/fixtures/nvidia-smi/nvidia-smi', import.meta.url));
const { NvidiaGpusReader } = await import('../dist/host/gpus/nvidia-gpus.reader.js');

const reader =
  mode === 'on'
    ? new NvidiaGpusReader({
        binary: STAND_IN,
        env: { ...process.env, NVIDIA_SMI_RECORDING: 'h100x8' },
        intervalMs: 1000,
        appsIntervalMs: 5000,
      })
    : undefined;
await reader?.start();
let gpus = 0;
const tick = setInterval(() => {
  gpus = reader ? reader.read().length + reader.processMemory().size * 0 : 0;
}, 1000);
// Past startup, and past V8's memory reducer, which compacts the heap once ~10-20 s after a
// process goes quiet: a one-off that would otherwise land in one side's window only.
await new Promise((resolve) => setTimeout(resolve, 25_000));
const before = process.cpuUsage();
const startedAt = performance.now();
await new Promise((resolve) => setTimeout(resolve, Number(seconds) * 1000));
const used = process.cpuUsage(before);
const elapsed = (performance.now() - startedAt) / 1000;
clearInterval(tick);
await reader?.stop();
process.stdout.write(
  `${JSON.stringify({ mode, gpus, cpuPercent: ((used.user + used.system) / 1e6 / elapsed) * 100 })}\n`,
);
