// The load process: opens N SSE subscribers to the service, ramping up gradually, and either
// reads every event (healthy) or sends the request and never reads (stalled). Runs until it
// gets a message on stdin-less IPC ('report'), then sends its figures back and exits.
import http from 'node:http';
import net from 'node:net';

// `paths`: one path, or several separated by '|' that the subscribers take in turn.
const [url, countText, mode, paths = '/api/v1/stream'] = process.argv.slice(2);
const count = Number(countText);
const targets = paths.split('|').map((path) => new URL(path, url));
let opened = 0;
const nextTarget = () => targets[opened++ % targets.length];
const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
const RAMP_BATCH = 100;

let connected = 0;
let failed = 0;
let events = 0;
const latencies = [];
const sockets = [];

function healthy() {
  const target = nextTarget();
  const request = http.get(target, { agent, headers: { accept: 'text/event-stream' } }, (res) => {
    if (res.statusCode !== 200) {
      failed++;
      res.resume();
      return;
    }
    connected++;
    let buffer = '';
    res.setEncoding('utf8').on('data', (chunk) => {
      buffer += chunk;
      let end;
      while ((end = buffer.indexOf('\n\n')) !== -1) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (frame.includes('\ndata: ')) {
          events++;
          const ts = /"timestamp":"([^"]+)"/.exec(frame);
          if (ts && latencies.length < 2_000_000) {
            latencies.push(Date.now() - Date.parse(ts[1]));
          }
        }
      }
    });
  });
  request.on('error', () => failed++);
  sockets.push(request);
}

function stalled() {
  const target = nextTarget();
  const socket = net.connect(Number(target.port), target.hostname, () => {
    socket.write(`GET ${target.pathname}${target.search} HTTP/1.1\r\nHost: ${target.host}\r\n\r\n`);
    socket.pause(); // never reads: the server's writes back up into the kernel, then into vitals
    connected++;
  });
  socket.on('error', () => failed++);
  sockets.push(socket);
}

const open = mode === 'stalled' ? stalled : healthy;
for (let batch = 0; batch < count; batch += RAMP_BATCH) {
  for (let i = batch; i < Math.min(count, batch + RAMP_BATCH); i++) {
    open();
  }
  await new Promise((resolve) => setTimeout(resolve, 100));
}
process.send({ type: 'ramped', connected, failed });

const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

process.on('message', (message) => {
  if (message === 'reset') {
    events = 0;
    latencies.length = 0;
    return;
  }
  const sorted = latencies.sort((a, b) => a - b);
  process.send({
    type: 'report',
    connected,
    failed,
    events,
    latencyMs: sorted.length
      ? { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), max: sorted.at(-1) }
      : null,
  });
  sockets.forEach((socket) => socket.destroy());
  process.exit(0);
});
