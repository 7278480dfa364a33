// The load for the gateway scenario: N simulated agents, each appending one sample a second to
// the Redis Stream as a real agent does (kind/host/data fields, XADD MAXLEN ~), spread evenly
// over the second. The sample body is a real one (argv[4]), stamped with the time of the XADD so
// subscribers can measure XADD → client latency from its timestamp. With argv[5] = 'vary',
// each host's CPU and memory wander (a random walk) instead of repeating the template's, so a
// dashboard draws lines of its own for each (the overview scenario).
import { Redis } from 'ioredis';

const [url, stream, countText, templateJson, variation] = process.argv.slice(2);
const count = Number(countText);
const template = JSON.parse(templateJson);
const redis = new Redis(url);
let sent = 0;
let failed = 0;

const timers = [];
const wander = (value, spread) =>
  Math.min(100, Math.max(0, value + (Math.random() - 0.5) * spread));

for (let i = 0; i < count; i++) {
  const host = `agent-${String(i).padStart(2, '0')}`;
  let cpu = Math.random() * 100;
  let memory = 20 + Math.random() * 70;
  const varied = () => {
    cpu = wander(cpu, 20);
    memory = wander(memory, 2);
    return {
      cpu: { ...template.cpu, usage: Math.round(cpu * 100) / 100 },
      memory: { ...template.memory, usage: Math.round(memory * 100) / 100 },
    };
  };
  const publish = () => {
    const data = JSON.stringify({
      ...template,
      ...(variation === 'vary' ? varied() : {}),
      host,
      timestamp: new Date().toISOString(),
    });
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
