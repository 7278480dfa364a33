import {
  RANGES,
  rangeFromUrl,
  rangeLabel,
  rangeSeconds,
  rollupQuery,
  urlWithRange,
} from '../../public/js/range.js';

describe('the dashboard range', () => {
  it('should read the range from the query, or from the hash', () => {
    expect(rangeFromUrl('http://h/?range=24h')).toBe('24h');
    expect(rangeFromUrl('http://h/sub/?x=1#range=7d')).toBe('7d');
    expect(rangeFromUrl('http://h/?range=1Y')).toBe('1y');
  });

  it('should fall back to live when the URL has no range or an unknown one', () => {
    expect(rangeFromUrl('http://h/')).toBe('live');
    expect(rangeFromUrl('http://h/?range=2h')).toBe('live');
    expect(rangeFromUrl('http://h/?range=')).toBe('live');
    expect(rangeFromUrl('http://h/?range=constructor')).toBe('live');
  });

  it('should put the range in the query and keep every other part of the URL', () => {
    const url = urlWithRange('http://h/sub/?host=web-1#top', '6h');

    expect(url).toBe('http://h/sub/?host=web-1&range=6h#top');
    expect(rangeFromUrl(url)).toBe('6h');
  });

  it('should drop the range from the URL when live is chosen, and move a hash range to the query', () => {
    expect(urlWithRange('http://h/?range=6h&host=a', 'live')).toBe('http://h/?host=a');
    expect(urlWithRange('http://h/#range=6h', '30d')).toBe('http://h/?range=30d');
  });

  it('should ask the rollups for the range back from now, the groups the charts draw, and let the server choose the step', () => {
    expect(rollupQuery('24h')).toEqual({ from: '-24h', groups: 'cpu,memory,diskIo,network,gpus' });
    expect(rollupQuery('1y')).toEqual({ from: '-1y', groups: 'cpu,memory,diskIo,network,gpus' });
  });

  it('should know each range length and name every range for assistive technology', () => {
    expect(RANGES.map(rangeSeconds)).toEqual([
      0,
      3600,
      6 * 3600,
      24 * 3600,
      7 * 86400,
      30 * 86400,
      365 * 86400,
    ]);
    expect(rangeLabel('live')).toEqual({ text: 'Live', name: 'Live' });
    expect(rangeLabel('1h')).toEqual({ text: '1 h', name: 'Last 1 hour' });
    expect(rangeLabel('30d')).toEqual({ text: '30 d', name: 'Last 30 days' });
  });
});
