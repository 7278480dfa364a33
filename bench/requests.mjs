// The load process for request benchmarks: sends `count` GETs to `url` over `concurrency`
// keep-alive connections, then reports throughput and latency to its parent. `count` may be a
// duration instead (`15s`): then each connection sends requests back to back until it is up.
import http from 'node:http';

const [url, countText, concurrencyText] = process.argv.slice(2);
const duration = /^(\d+(?:\.\d+)?)s$/.exec(countText);
const count = duration ? Infinity : Number(countText);
const concurrency = Number(concurrencyText);
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const latencies = [];
let sent = 0;
let failed = 0;

const once = () =>
  new Promise((resolve) => {
    const started = performance.now();
    http
      .get(url, { agent }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode !== 200) {
            failed++;
          }
          latencies.push(performance.now() - started);
          resolve();
        });
      })
      .on('error', () => {
        failed++;
        resolve();
      });
  });

const started = performance.now();
const deadline = duration ? started + Number(duration[1]) * 1000 : Infinity;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (sent < count && performance.now() < deadline) {
      sent++;
      await once();
    }
  }),
);
const seconds = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
process.send({
  requests: latencies.length,
  failed,
  seconds,
  perSecond: latencies.length / seconds,
  latencyMs: {
    p50: latencies[Math.floor(latencies.length * 0.5)],
    p99: latencies[Math.floor(latencies.length * 0.99)],
  },
});
agent.destroy();
