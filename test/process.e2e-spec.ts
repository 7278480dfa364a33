import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { SAMPLE_GROUPS } from '../src/hub/sample-group.js';
import { ServiceProcess } from './helpers/service-process.js';
import { SseConnection } from './helpers/sse-connection.js';

// These run the compiled service the way `npm run start:prod` does, on this machine's real /proc.
describe('the service process', () => {
  let service: ServiceProcess | undefined;

  afterEach(() => {
    service?.kill();
  });

  it('should exit 1 naming each bad variable, its value and what is allowed when config is invalid', async () => {
    service = new ServiceProcess({ VITALS_INTERVAL_MS: '10', VITALS_PORT: 'http' });

    const exit = await service.exited;

    expect(exit.code).toBe(1);
    const lines = service.stderr.split('\n').filter((line) => line.includes('VITALS_'));
    expect(lines).toEqual([
      expect.stringContaining('VITALS_PORT="http" is invalid: must be an integer from 0 to 65535'),
      expect.stringContaining(
        'VITALS_INTERVAL_MS="10" is invalid: must be an integer from 250 to 60000',
      ),
    ]);
    expect(service.stderr).not.toMatch(/^\s+at /m);
  });

  it('should refuse to start on a non-loopback address without a token, saying how to set one', async () => {
    service = new ServiceProcess({ VITALS_HOST: '0.0.0.0', VITALS_PORT: '0' });

    const exit = await service.exited;

    expect(exit.code).toBe(1);
    expect(service.stderr).toContain(
      'VITALS_HOST=0.0.0.0 makes vitals reachable from other machines, but no VITALS_TOKEN is set',
    );
    expect(service.stdout).not.toContain('Listening on');
  });

  it('should exit 1 naming the file, the rule and the problem when the alert rules are bad', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vitals-rules-'));
    const file = join(dir, 'alerts.yaml');
    writeFileSync(
      file,
      'rules:\n  - {name: mem, metric: memory.usage, warning: 95, critical: 85}\n' +
        '  - {name: gpu, metric: gpu.usage, warning: 1}\n',
    );
    service = new ServiceProcess({ VITALS_ALERTS_FILE: file });

    const exit = await service.exited;
    rmSync(dir, { recursive: true, force: true });

    expect(exit.code).toBe(1);
    const lines = service.stderr.split('\n').filter((line) => line.includes('VITALS_ALERTS_FILE'));
    expect(lines).toEqual([
      expect.stringContaining(
        `VITALS_ALERTS_FILE ${file}: rule 1 (mem): warning (95) must be below critical (85)`,
      ),
      expect.stringContaining(`VITALS_ALERTS_FILE ${file}: rule 2 (gpu): metric "gpu.usage"`),
    ]);
    expect(service.stderr).not.toMatch(/^\s+at /m);
  });

  it('should serve this host and write JSON logs when VITALS_LOG_FORMAT=json', async () => {
    service = new ServiceProcess({ VITALS_PORT: '0', VITALS_LOG_FORMAT: 'json' });
    const url = await service.listening();

    const response = await request(url).get('/api/v1/metrics').expect(200);

    const sample = response.body as Record<string, unknown> & {
      cpu: { count: number; cores: number[] };
      memory: { total: number };
      uptime: number;
      network: unknown[];
      container: { cgroup: string | null };
    };
    const memTotalKb = Number(
      /MemTotal:\s+(\d+) kB/.exec(readFileSync('/proc/meminfo', 'utf8'))![1],
    );
    const procUptime = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
    expect(Object.keys(sample)).toEqual(['id', 'timestamp', 'host', ...SAMPLE_GROUPS]);
    expect(sample.memory.total).toBe(memTotalKb * 1024);
    expect(sample.cpu.count).toBe(cpus().length);
    expect(sample.cpu.cores).toHaveLength(cpus().length);
    expect(Math.abs(sample.uptime - procUptime)).toBeLessThan(5);
    expect(sample.disks).not.toBeNull();
    expect(sample.processes).not.toBeNull();
    expect(Array.isArray(sample.network)).toBe(true);
    expect(sample.container.cgroup).not.toBeNull();
    const logLines = service.stdout.trim().split('\n');
    logLines.forEach((line) => expect(() => JSON.parse(line) as unknown).not.toThrow());
  });

  it('should end every open stream and exit 0 when sent SIGTERM', async () => {
    service = new ServiceProcess({ VITALS_PORT: '0', VITALS_INTERVAL_MS: '250' });
    const url = await service.listening();
    const streams = await Promise.all(
      Array.from({ length: 50 }, () => SseConnection.open(`${url}/api/v1/stream`)),
    );
    await Promise.all(streams.map((stream) => stream.nextEvents(2)));

    service.signal('SIGTERM');
    const exit = await service.exited;
    await Promise.all(streams.map((stream) => stream.ended));

    // The service exits 1 by itself if shutdown takes longer than 2 s; 0 means it was in time.
    expect(exit).toEqual({ code: 0, signal: null });
    expect(service.stderr).not.toContain('did not finish');
  });
});
