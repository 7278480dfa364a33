import { applyAlert, createAlertStore } from '../../public/js/alerts.js';
import {
  createFleet,
  entryOf,
  fleetNow,
  takeHostList,
  takeSample,
  worstAlerts,
} from '../../public/js/overview-fleet.js';

type Alert = Parameters<typeof applyAlert>[1];

const NOW = Date.parse('2026-11-24T11:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

/** A host as api/v1/hosts lists it, last seen `ageMs` before NOW by the gateway's clock. */
const listed = (name: string, ageMs: number, stale = false) => ({
  name,
  lastSeen: iso(NOW - ageMs),
  lastId: `${NOW - ageMs}-0`,
  ageMs,
  stale,
});

const sample = (host: string, at: number, cpu = 10) => ({
  id: `${at}-0`,
  timestamp: iso(at),
  host,
  cpu: { usage: cpu },
  memory: { usage: 40 },
});

const alert = (host: string, rule: string, severity: string, since: number): Alert => ({
  host,
  rule,
  severity,
  metric: 'cpu.usage',
  value: 97,
  threshold: 95,
  since: iso(since),
  labels: {},
});

describe('the overview: the fleet', () => {
  it('should take the hosts a list names, stale or not, and the gateway clock from it', () => {
    const fleet = createFleet();
    const localNow = NOW - 5000; // this browser's clock runs 5 s behind the gateway's

    const change = takeHostList(
      fleet,
      [listed('web-1', 400), listed('db-1', 9000, true), { name: '' }, null],
      localNow,
    );

    expect(change).toEqual({ added: ['web-1', 'db-1'], removed: [], changed: ['db-1'] });
    expect([...fleet.hosts.keys()]).toEqual(['web-1', 'db-1']);
    expect(fleet.hosts.get('db-1')).toMatchObject({ stale: true, lastTs: NOW - 9000 });
    expect(fleetNow(fleet, localNow)).toBe(NOW);
  });

  it('should forget a host a list leaves out, unless it sent a sample just now', () => {
    const fleet = createFleet();
    takeHostList(fleet, [listed('gone', 60_000), listed('kept', 500)], NOW);
    takeSample(fleet, sample('new', NOW - 1000)); // just now: the list may not name it yet
    takeSample(fleet, sample('gone', NOW - 5000)); // its last, before a short TTL

    const change = takeHostList(fleet, [listed('kept', 500)], NOW);

    expect(change.removed).toEqual(['gone']);
    expect([...fleet.hosts.keys()]).toEqual(['kept', 'new']);
  });

  it('should take a host back from stale when a sample newer than the list arrives', () => {
    const fleet = createFleet();
    takeHostList(fleet, [listed('web-1', 4000, true)], NOW);

    const taken = takeSample(fleet, sample('web-1', NOW - 100, 55));
    const again = takeHostList(fleet, [listed('web-1', 4000, true)], NOW);

    expect(taken).toMatchObject({ added: false, fresh: true });
    expect(fleet.hosts.get('web-1')).toMatchObject({ stale: false, latest: { cpu: 55 } });
    expect(again.changed).toEqual([]); // the list is older than what the page holds
  });

  it('should skip a sample without a host or a time, and one the series holds already', () => {
    const fleet = createFleet();
    takeSample(fleet, sample('web-1', NOW, 10));

    expect(takeSample(fleet, { id: 1, timestamp: iso(NOW) })).toBeNull();
    expect(takeSample(fleet, { ...sample('web-1', NOW), timestamp: 'yesterday' })).toBeNull();
    expect(takeSample(fleet, sample('web-1', NOW, 99))).toMatchObject({ fresh: false });
    expect(fleet.hosts.get('web-1')?.latest?.cpu).toBe(10);
  });

  it("should give each host's worst active alert: critical over warning, then the newest", () => {
    const store = createAlertStore();
    applyAlert(store, alert('web-1', 'old-warning', 'warning', NOW - 9000));
    applyAlert(store, alert('web-1', 'critical', 'critical', NOW - 8000));
    applyAlert(store, alert('web-1', 'new-warning', 'warning', NOW - 1000));
    applyAlert(store, alert('db-1', 'a', 'warning', NOW - 5000));
    applyAlert(store, alert('db-1', 'b', 'warning', NOW - 4000));
    applyAlert(store, alert('db-1', 'b', 'resolved', NOW));

    const worst = worstAlerts(store);

    expect(worst.get('web-1')).toMatchObject({ severity: 'critical', count: 3 });
    expect(worst.get('web-1')?.alert.rule).toBe('critical');
    expect(worst.get('db-1')).toMatchObject({ severity: 'warning', count: 1 });
    expect(worst.has('web-2')).toBe(false);
  });

  it('should sort and filter a host by its newest figures and its alerts', () => {
    const fleet = createFleet();
    const { host } = takeSample(fleet, sample('web-1', NOW, 33))!;
    const store = createAlertStore();
    applyAlert(store, alert('web-1', 'cpu', 'critical', NOW));

    expect(entryOf(host, worstAlerts(store).get('web-1'))).toEqual({
      name: 'web-1',
      cpu: 33,
      memory: 40,
      severity: 2,
      alerts: 1,
    });
    expect(entryOf(host, undefined)).toMatchObject({ severity: 0, alerts: 0 });
  });
});
