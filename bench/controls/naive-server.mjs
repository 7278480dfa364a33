// The naive control: the original demo's design in Node/Express. Every client gets its own
// sampler, which reads /proc/stat twice a tick apart and /proc/meminfo (what psutil's
// cpu_percent(interval=1) and virtual_memory() did in the Flask demo) and writes the result.
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import express from 'express';

const intervalMs = Number(process.env.VITALS_INTERVAL_MS ?? 1000);

async function cpuTimes() {
  const [line] = (await readFile('/proc/stat', 'utf8')).split('\n');
  const fields = line.trim().split(/\s+/).slice(1, 9).map(Number);
  return { idle: fields[3] + fields[4], total: fields.reduce((a, b) => a + b, 0) };
}

async function memoryUsage() {
  const text = await readFile('/proc/meminfo', 'utf8');
  const field = (name) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(text)[1]);
  return (1 - field('MemAvailable') / field('MemTotal')) * 100;
}

const app = express();
app.get('/api/v1/stream', async (req, res) => {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache, no-transform',
    'X-Accel-Buffering': 'no',
  });
  res.write('\n');
  let open = true;
  res.on('close', () => (open = false));
  let id = 0;
  while (open) {
    const before = await cpuTimes();
    await sleep(intervalMs);
    const after = await cpuTimes();
    const busy = 1 - (after.idle - before.idle) / (after.total - before.total || 1);
    const data = JSON.stringify({
      id: ++id,
      timestamp: new Date().toISOString(),
      cpu: Math.round(busy * 10000) / 100,
      ram: Math.round((await memoryUsage()) * 100) / 100,
    });
    res.write(`id: ${id}\nevent: sample\ndata: ${data}\n\n`);
  }
});

const server = app.listen(0, '127.0.0.1', () => {
  process.stdout.write(`Listening on http://127.0.0.1:${server.address().port}\n`);
});
process.on('SIGTERM', () => process.exit(0));
