// The load for the gateway scenario: N simulated agents, each appending one sample a second to
// the Redis Stream as a real agent does (kind/host/data fields, XADD MAXLEN ~), spread evenly
// over the second. The sample body is a real one (argv[4]), stamped with the time of the XADD so
// subscribers can measure XADD → client latency from its timestamp.
import { Redis } from 'ioredis';

const [url, stream, countText, templateJson] = process.argv.slice(2);
const count = Number(countText);
const template = JSON.parse(templateJson);
const redis = new Redis(url);
let sent = 0;
let failed = 0;

const timers = [];
for (let i = 0; i < count; i++) {
  const host = `agent-${String(i).padStart(2, '0')}`;
  const publish = () => {
    const data = JSON.stringify({ ...template, host, timestamp: new Date().toISOString() });
    redis
      .xadd(stream, 'MAXLEN', '~', '20000', '*', 'kind', 'sample', 'host', host, 'data', data)
      .then(
        () => sent++,
        () => failed++,
      );
  };
  setTimeout(() => timers.push(setInterval(publish, 1000)), (1000 / count) * i);
}

process.on('message', () => {
  timers.forEach(clearInterval);
  process.send({ sent, failed });
  redis.disconnect();
  process.exit(0);
});
