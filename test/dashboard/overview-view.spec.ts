import {
  DEFAULT_VIEW,
  arrange,
  hostFromUrl,
  hostUrl,
  overviewUrl,
  viewFromUrl,
} from '../../public/js/overview-view.js';

type HostEntry = ReturnType<typeof arrange>[number];
type SortKey = Parameters<typeof arrange>[1]['sort'];

/** A host with no alert and no figures; `overrides` sets some. */
const entry = (name: string, overrides: Partial<HostEntry> = {}): HostEntry => ({
  name,
  cpu: null,
  memory: null,
  severity: 0,
  alerts: 0,
  ...overrides,
});

const names = (list: HostEntry[]) => list.map((e) => e.name);

describe('the overview: URLs', () => {
  it('should open the overview when the URL names no host, and the host when it does', () => {
    expect(hostFromUrl('http://h/')).toBeNull();
    expect(hostFromUrl('http://h/?host=')).toBeNull();
    expect(hostFromUrl('http://h/sub/?host=web%201&range=6h')).toBe('web 1');
  });

  it('should read the sort and filters from the URL, with defaults for what it does not say', () => {
    expect(viewFromUrl('http://h/?sort=cpu&q=%20web%20&alerts=only')).toEqual({
      sort: 'cpu',
      q: 'web',
      alertsOnly: true,
    });
    expect(viewFromUrl('http://h/?sort=constructor&alerts=yes')).toEqual(DEFAULT_VIEW);
  });

  it('should write the sort and filters into the URL, leaving out defaults and keeping other parts', () => {
    const url = overviewUrl('http://h/sub/?kiosk&host=a&range=6h&sort=cpu#top', {
      sort: 'memory',
      q: ' db ',
      alertsOnly: true,
    });

    expect(url).toBe('http://h/sub/?kiosk=&sort=memory&q=db&alerts=only#top');
    expect(viewFromUrl(url)).toEqual({ sort: 'memory', q: 'db', alertsOnly: true });
    expect(overviewUrl('http://h/?sort=cpu&q=x', DEFAULT_VIEW)).toBe('http://h/');
  });

  it("should drop the overview's sort and filters from a host's URL and keep every other part", () => {
    expect(hostUrl('http://h/sub/?kiosk=1&sort=cpu&q=web&alerts=only', 'web 1')).toBe(
      'http://h/sub/?kiosk=1&host=web+1',
    );
    expect(hostUrl('http://h/?host=a&range=24h', 'b')).toBe('http://h/?host=b&range=24h');
  });
});

describe('the overview: sorting and filtering', () => {
  const web1 = entry('web-1', { cpu: 20, memory: 80 });
  const web10 = entry('web-10', { cpu: 90, memory: 10, severity: 1, alerts: 1 });
  const web2 = entry('web-2', { cpu: null, memory: 50, severity: 2, alerts: 1 });
  const db = entry('db', { cpu: 20, memory: null, severity: 1, alerts: 3 });
  const all = [web1, web10, web2, db];

  it.each<[SortKey, string[]]>([
    ['alerts', ['web-2', 'db', 'web-10', 'web-1']],
    ['name', ['db', 'web-1', 'web-2', 'web-10']],
    ['cpu', ['web-10', 'db', 'web-1', 'web-2']],
    ['memory', ['web-1', 'web-2', 'web-10', 'db']],
  ])('should order by %s when chosen, ties by name and missing figures last', (sort, order) => {
    expect(names(arrange(all, { ...DEFAULT_VIEW, sort }))).toEqual(order);
  });

  it('should show only the hosts whose name holds the text, in any case, when filtered', () => {
    expect(names(arrange(all, { ...DEFAULT_VIEW, sort: 'name', q: 'WEB-1' }))).toEqual([
      'web-1',
      'web-10',
    ]);
  });

  it('should show only the hosts with an active alert when asked', () => {
    expect(names(arrange(all, { sort: 'name', q: '', alertsOnly: true }))).toEqual([
      'db',
      'web-2',
      'web-10',
    ]);
  });
});
