import { Test, type TestingModule } from '@nestjs/testing';
import { sampleReading } from '../../test/helpers/readings.js';
import { alertsConfig } from './alerts.config.js';
import { streamConfig } from '../config/stream.config.js';
import { AlertEvent } from '../hub/alert-event.js';
import type { HubEvent } from '../hub/hub-event.js';
import { SampleHubService } from '../hub/sample-hub.service.js';
import type { AlertRule } from './alert-rule.js';
import { AlertsService } from './alerts.service.js';
import { compileMetricPath } from './metric-path.js';

const MEMORY_RULE: AlertRule = {
  name: 'high-memory',
  metric: 'memory.usage',
  warning: 80,
  critical: 90,
  forMs: 0,
  hysteresis: 5,
  read: compileMetricPath('memory.usage'),
};

const reading = (memory: number) => {
  const value = sampleReading();
  return { ...value, memory: { ...value.memory, usage: memory } };
};

describe('AlertsService', () => {
  let moduleRef: TestingModule;
  let hub: SampleHubService;
  let seen: HubEvent[];

  beforeEach(async () => {
    moduleRef = await Test.createTestingModule({
      providers: [
        SampleHubService,
        AlertsService,
        { provide: streamConfig.KEY, useValue: { history: 100 } },
        { provide: alertsConfig.KEY, useValue: { file: undefined, rules: [MEMORY_RULE] } },
      ],
    }).compile();
    hub = moduleRef.get(SampleHubService);
    // Subscribed before the service, as the stream service is: it must still see the sample
    // first and the alert it raised right after.
    seen = [];
    hub.events.subscribe((event) => seen.push(event));
    await moduleRef.init();
  });

  afterEach(async () => {
    await moduleRef.close();
  });

  it('should publish an alert right after the sample that crossed a threshold', () => {
    const sample = hub.publish(reading(95));

    expect(seen.map((event) => [event.kind, event.id])).toEqual([
      ['sample', sample.id],
      ['alert', sample.id + 1],
    ]);
    expect((seen[1] as AlertEvent).alert).toMatchObject({
      rule: 'high-memory',
      severity: 'critical',
      value: 95,
      threshold: 90,
      host: 'web-1',
    });
    expect(hub.activeAlerts).toEqual([seen[1]]);
  });

  it('should publish nothing but samples while no threshold is crossed', () => {
    [10, 50, 79].forEach((memory) => hub.publish(reading(memory)));

    expect(seen.map((event) => event.kind)).toEqual(['sample', 'sample', 'sample']);
    expect(hub.activeAlerts).toEqual([]);
  });

  it('should clear the active alert when the value resolves it', () => {
    hub.publish(reading(85));
    hub.publish(reading(50));

    expect(
      seen.filter((event) => event instanceof AlertEvent).map((e) => e.alert.severity),
    ).toEqual(['warning', 'resolved']);
    expect(hub.activeAlerts).toEqual([]);
  });

  it('should list the rules in force', () => {
    expect(moduleRef.get(AlertsService).rules).toEqual([MEMORY_RULE]);
  });
});
