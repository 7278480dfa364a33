import {
  alertChange,
  alertName,
  badgeText,
  bannerState,
  faviconHref,
  isLiveEvent,
  isOn,
  notificationFor,
  notifies,
  notifyButton,
  pageTitle,
  replayedThrough,
  worstSeverity,
} from '../../public/js/notify.js';

const alert = (severity: string, overrides: Record<string, unknown> = {}) => ({
  rule: 'high-memory',
  metric: 'memory.usage',
  host: 'web-1',
  severity,
  value: 96.2,
  threshold: 95,
  since: '2026-11-24T11:00:00.000Z',
  labels: {},
  ...overrides,
});

const svgOf = (href: string | null) => decodeURIComponent(href!.replace('data:image/svg+xml,', ''));

describe('the dashboard notification decisions', () => {
  describe('live or replayed', () => {
    it('should take the newest retained id from a meta frame when it has one', () => {
      expect(replayedThrough({ retained: { oldest: 5, newest: 42 } })).toBe(42);
      expect(replayedThrough({ retained: { oldest: '1-0', newest: '1795550910600-3' } })).toBe(
        '1795550910600-3',
      );
      expect(replayedThrough({ retained: null })).toBeNull();
      expect(replayedThrough({ retained: { newest: 'soon' } })).toBeNull();
      expect(replayedThrough(null)).toBeNull();
    });

    it('should count only events after the newest retained id as live when the stream opened with one', () => {
      expect(isLiveEvent('43', 42)).toBe(true);
      expect(isLiveEvent('42', 42)).toBe(false); // the last one replayed
      expect(isLiveEvent('17', 42)).toBe(false);
      expect(isLiveEvent('1795550910600-4', '1795550910600-3')).toBe(true);
      expect(isLiveEvent('1795550910600-3', '1795550910600-3')).toBe(false);
      expect(isLiveEvent('1795550910599-9', '1795550910600-0')).toBe(false);
    });

    it('should count a frame without an id as replayed, and every event as live when nothing was retained', () => {
      expect(isLiveEvent('', 42)).toBe(false);
      expect(isLiveEvent('', null)).toBe(false);
      expect(isLiveEvent('1', null)).toBe(true);
    });
  });

  describe('which changes notify', () => {
    it.each([
      [undefined, 'warning', 'fired'],
      [undefined, 'critical', 'fired'],
      ['warning', 'critical', 'escalated'],
      ['critical', 'warning', 'eased'],
      ['warning', 'resolved', 'resolved'],
      ['critical', 'resolved', 'resolved'],
      ['warning', 'warning', null],
      ['critical', 'critical', null],
      [undefined, 'resolved', null], // an alert the page never saw active
    ])('should call %p then %p a change of %p', (before, after, kind) => {
      const previous = before === undefined ? undefined : alert(before);

      expect(alertChange(previous, alert(after))).toBe(kind);
    });

    it('should notify only of a live change with notifications on', () => {
      expect(notifies('fired', true, true)).toBe(true);
      expect(notifies('resolved', true, true)).toBe(true);
      expect(notifies('fired', false, true)).toBe(false); // replayed
      expect(notifies('fired', true, false)).toBe(false); // turned off or not allowed
      expect(notifies(null, true, true)).toBe(false); // the same state again
    });

    it('should be on only when wanted and granted', () => {
      expect(isOn('granted', true)).toBe(true);
      expect(isOn('granted', false)).toBe(false);
      expect(isOn('default', true)).toBe(false);
      expect(isOn('denied', true)).toBe(false);
    });
  });

  describe('the notification', () => {
    it('should name the severity, rule and host, with the value and threshold when an alert fires', () => {
      const shown = notificationFor(alert('critical'), 'fired');

      expect(shown).toEqual({
        title: 'critical: high-memory on web-1',
        options: {
          body: 'memory.usage at 96.2 %, threshold 95.0 %',
          tag: 'vitals ["web-1","high-memory",{}]',
          renotify: true,
        },
      });
    });

    it('should keep the tag of the alert and alert again when it escalates', () => {
      const warning = notificationFor(alert('warning', { value: 88, threshold: 85 }), 'fired');
      const critical = notificationFor(alert('critical'), 'escalated');

      expect(critical.title).toBe('critical: high-memory on web-1');
      expect(critical.options.tag).toBe(warning.options.tag);
      expect(critical.options.renotify).toBe(true);
    });

    it('should replace it quietly when it eases or resolves', () => {
      const eased = notificationFor(alert('warning', { value: 90, threshold: 85 }), 'eased');
      const resolved = notificationFor(alert('resolved', { value: 80, threshold: 85 }), 'resolved');

      expect(eased).toMatchObject({
        title: 'warning: high-memory on web-1',
        options: { body: 'memory.usage at 90.0 %, threshold 85.0 %', renotify: false },
      });
      expect(resolved).toMatchObject({
        title: 'resolved: high-memory on web-1',
        options: { body: 'memory.usage at 80.0 %, back below 85.0 %', renotify: false },
      });
      expect(resolved.options.tag).toBe(eased.options.tag);
    });

    it('should say the value is gone when an alert resolves because it is no longer available', () => {
      const shown = notificationFor(
        alert('resolved', { rule: 'swap', metric: 'memory.swapUsage', value: null, threshold: 50 }),
        'resolved',
      );

      expect(shown.options.body).toBe('memory.swapUsage no longer available (threshold 50.0 %)');
    });

    it('should name the labels and give each labelled alert its own tag when a rule fires on two disks', () => {
      const root = alert('critical', { rule: 'disk-full', labels: { mount: '/' } });
      const data = alert('critical', { rule: 'disk-full', labels: { mount: '/data' } });

      expect(notificationFor(root, 'fired').title).toBe('critical: disk-full (mount=/) on web-1');
      expect(alertName({ ...root, labels: { iface: 'eth0', dir: 'rx' } })).toBe(
        'disk-full (iface=eth0, dir=rx) on web-1',
      );
      expect(notificationFor(root, 'fired').options.tag).toBe(
        'vitals ["web-1","disk-full",{"mount":"/"}]',
      );
      expect(notificationFor(data, 'fired').options.tag).not.toBe(
        notificationFor(root, 'fired').options.tag,
      );
    });

    it('should leave out the host when the alert has none', () => {
      expect(alertName({ rule: 'hot', severity: 'warning' })).toBe('hot');
    });
  });

  describe('the notify button', () => {
    it('should be hidden when the browser cannot notify', () => {
      expect(notifyButton(false, 'default', true)).toMatchObject({ hidden: true });
    });

    it('should say notifications are blocked and be disabled when the permission is denied', () => {
      expect(notifyButton(true, 'denied', true)).toMatchObject({
        hidden: false,
        disabled: true,
        pressed: false,
        label: 'Notifications blocked',
      });
    });

    it('should offer to notify, pressed only while on, when the permission is not denied', () => {
      expect(notifyButton(true, 'default', false)).toMatchObject({
        hidden: false,
        disabled: false,
        pressed: false,
        label: 'Notify me',
      });
      expect(notifyButton(true, 'default', true).pressed).toBe(false); // revoked meanwhile
      expect(notifyButton(true, 'granted', false).pressed).toBe(false);
      expect(notifyButton(true, 'granted', true)).toMatchObject({
        disabled: false,
        pressed: true,
        label: 'Notify me',
      });
    });
  });

  describe('the title and favicon', () => {
    it('should prefix the title with the count when alerts are active', () => {
      expect(pageTitle('web-1 · vitals', 2)).toBe('(2) web-1 · vitals');
      expect(pageTitle('web-1 · vitals', 1)).toBe('(1) web-1 · vitals');
      expect(pageTitle('web-1 · vitals', 0)).toBe('web-1 · vitals');
    });

    it('should show up to 9 on the badge, then 9+', () => {
      expect([0, 1, 9, 10, 250].map(badgeText)).toEqual(['', '1', '9', '9+', '9+']);
    });

    it('should take the worst active severity', () => {
      expect(worstSeverity([alert('warning'), alert('critical'), alert('warning')])).toBe(
        'critical',
      );
      expect(worstSeverity([alert('warning')])).toBe('warning');
      expect(worstSeverity([])).toBeNull();
    });

    it('should draw the count in a red circle when one is critical and in an amber square for warnings', () => {
      const critical = svgOf(faviconHref(3, 'critical'));
      const warning = svgOf(faviconHref(12, 'warning'));

      expect(faviconHref(3, 'critical')).toMatch(/^data:image\/svg\+xml,/);
      expect(critical).toContain('<circle');
      expect(critical).toContain('fill="#cf222e"');
      expect(critical).toMatch(/<text[^>]*>3<\/text>/);
      expect(warning).not.toContain('<circle');
      expect(warning).toContain('fill="#f2b600"');
      expect(warning).toMatch(/<text[^>]*>9\+<\/text>/);
      // The plain icon underneath.
      expect(critical).toContain('points="4,18 10,18 13,9 18,24 21,14 28,14"');
    });

    it('should give no badged icon when none is active', () => {
      expect(faviconHref(0, null)).toBeNull();
      expect(faviconHref(0, 'critical')).toBeNull();
    });
  });

  describe('the critical banner', () => {
    const memory = alert('critical');
    const disk = alert('critical', { rule: 'disk-full', labels: { mount: '/' } });
    const swap = alert('warning', { rule: 'swap' });

    it('should name the critical alert and show while it is not dismissed', () => {
      const banner = bannerState(
        [
          ['swap', swap],
          ['mem', memory],
        ],
        new Set(),
      );

      expect(banner).toEqual({
        visible: true,
        text: 'Critical alert: high-memory on web-1',
        keys: ['mem'],
        dismissed: new Set(),
      });
    });

    it('should name every critical alert when there are several', () => {
      const banner = bannerState(
        [
          ['disk', disk],
          ['mem', memory],
        ],
        new Set(),
      );

      expect(banner.text).toBe(
        '2 critical alerts: disk-full (mount=/) on web-1, high-memory on web-1',
      );
      expect(banner.keys).toEqual(['disk', 'mem']);
    });

    it('should stay hidden while every critical alert is dismissed', () => {
      const banner = bannerState([['mem', memory]], new Set(['mem']));

      expect(banner.visible).toBe(false);
      expect(banner.dismissed).toEqual(new Set(['mem']));
    });

    it('should come back naming both when a new critical alert comes after a dismissal', () => {
      const banner = bannerState(
        [
          ['disk', disk],
          ['mem', memory],
        ],
        new Set(['mem']),
      );

      expect(banner.visible).toBe(true);
      expect(banner.text).toContain('disk-full');
      expect(banner.text).toContain('high-memory');
    });

    it('should forget a dismissal once its alert is no longer critical, so it shows when critical again', () => {
      const eased = bannerState(
        [
          ['mem', { ...memory, severity: 'warning' }],
          ['swap', swap],
        ],
        new Set(['mem']),
      );
      const again = bannerState([['mem', memory]], eased.dismissed);

      expect(eased).toEqual({ visible: false, text: '', keys: [], dismissed: new Set() });
      expect(again.visible).toBe(true);
    });

    it('should be hidden when no alert is active', () => {
      expect(bannerState([], new Set(['mem']))).toEqual({
        visible: false,
        text: '',
        keys: [],
        dismissed: new Set(),
      });
    });
  });
});
