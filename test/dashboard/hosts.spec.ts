import { chooseHost, hostNames, withHost } from '../../public/js/hosts.js';

describe('the dashboard host choice', () => {
  it('should keep the followed host when the list changes, else the remembered, else the first', () => {
    const names = ['agent-1', 'agent-2'];

    expect(chooseHost(names, 'gone', 'agent-2')).toBe('gone');
    expect(chooseHost(names, null, 'agent-2')).toBe('agent-2');
    expect(chooseHost(names, null, 'unknown')).toBe('agent-1');
    expect(chooseHost([], null, null)).toBeNull();
  });

  it('should read only names from a host list when entries are malformed', () => {
    expect(hostNames([{ name: 'a' }, { name: '' }, null, { name: 3 }, { name: 'b' }])).toEqual([
      'a',
      'b',
    ]);
    expect(hostNames(undefined)).toEqual([]);
  });

  it('should add host= to a request only when a host is followed', () => {
    expect(withHost('api/v1/stream', null)).toBe('api/v1/stream');
    expect(withHost('api/v1/stream', 'web 1', { lastEventId: '5-0' })).toBe(
      'api/v1/stream?lastEventId=5-0&host=web+1',
    );
  });
});
