import {
  alertKey,
  applyAlert,
  asAlert,
  createAlertStore,
  sortedAlerts,
} from '../../public/js/alerts.js';

const alert = (rule: string, since: string, severity = 'warning', labels = {}) => ({
  rule,
  host: 'web-1',
  severity,
  since,
  labels,
  metric: 'memory.usage',
  value: 91,
  threshold: 90,
});

describe('the dashboard alert store', () => {
  it('should list the newest alert first, and the later change first when both start together', () => {
    const store = createAlertStore();

    applyAlert(store, alert('old', '2026-03-01T10:00:00Z'));
    applyAlert(store, alert('new', '2026-03-01T11:00:00Z'));
    applyAlert(store, alert('tie', '2026-03-01T11:00:00Z'));

    expect(sortedAlerts(store).map(([, a]) => a.rule)).toEqual(['tie', 'new', 'old']);
  });

  it('should remove an alert when it is resolved', () => {
    const store = createAlertStore();
    applyAlert(store, alert('high-memory', '2026-03-01T10:00:00Z'));

    applyAlert(store, alert('high-memory', '2026-03-01T10:05:00Z', 'resolved'));

    expect(store.byKey.size).toBe(0);
  });

  it('should keep one alert per rule and labels when the same rule fires on two disks', () => {
    const store = createAlertStore();
    const root = alert('disk-full', '2026-03-01T10:00:00Z', 'warning', { mount: '/' });

    applyAlert(store, root);
    applyAlert(store, alert('disk-full', '2026-03-01T10:00:00Z', 'warning', { mount: '/var' }));
    applyAlert(store, { ...root, severity: 'critical' });

    expect(store.byKey.size).toBe(2);
    expect(store.byKey.get(alertKey(root))?.severity).toBe('critical');
  });

  it('should take only objects with a rule for alerts when reading frames', () => {
    expect(asAlert(null)).toBeNull();
    expect(asAlert({ severity: 'warning' })).toBeNull();
    expect(asAlert(alert('x', ''))).toMatchObject({ rule: 'x' });
  });
});
