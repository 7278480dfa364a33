// The floor control: the least any SSE server can do here. One frame serialized per tick (padded
// to the size of a vitals sample) and written to every subscriber, nothing else.
import http from 'node:http';

const intervalMs = Number(process.env.VITALS_INTERVAL_MS ?? 1000);
const frameBytes = Number(process.env.FLOOR_FRAME_BYTES ?? 3000);
const clients = new Set();
let id = Date.now();

const server = http.createServer((req, res) => {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache, no-transform',
    'X-Accel-Buffering': 'no',
  });
  res.write('\n');
  clients.add(res);
  res.on('close', () => clients.delete(res));
});

setInterval(() => {
  id++;
  const head = `{"id":${id},"timestamp":"${new Date().toISOString()}","pad":"`;
  const data = `${head}${'x'.repeat(Math.max(0, frameBytes - head.length - 2))}"}`;
  const frame = `id: ${id}\nevent: sample\ndata: ${data}\n\n`;
  for (const res of clients) {
    res.write(frame);
  }
}, intervalMs);

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`Listening on http://127.0.0.1:${server.address().port}\n`);
});
process.on('SIGTERM', () => process.exit(0));
