import { compareEventIds, eventIdValue, parseEventId, previousEventId } from './event-id.js';

const id = (text: string) => parseEventId(text)!;

describe('event ids', () => {
  it('should read plain integers and Redis Stream ids, and nothing else', () => {
    expect(parseEventId('1795524273660')).toEqual({
      text: '1795524273660',
      ms: 1795524273660,
      seq: 0n,
    });
    expect(parseEventId('1795524273660-7')).toEqual({
      text: '1795524273660-7',
      ms: 1795524273660,
      seq: 7n,
    });
    for (const bad of [
      '',
      '-1',
      '1-',
      '1-2-3',
      '0x10',
      '1e3',
      ' 5',
      '1795524273660-18446744073709551616',
      '1234567890123456',
    ]) {
      expect(parseEventId(bad)).toBeUndefined();
    }
  });

  it('should order ids by milliseconds, then by sequence', () => {
    expect(compareEventIds(id('10-9'), id('11-0'))).toBeLessThan(0);
    expect(compareEventIds(id('11-2'), id('11-10'))).toBeLessThan(0);
    expect(compareEventIds(id('11-10'), id('11-2'))).toBeGreaterThan(0);
    expect(compareEventIds(id('11'), id('11-0'))).toBe(0);
  });

  it('should give the id just before, so a resume from it starts at the id itself', () => {
    expect(previousEventId('42')).toBe('41');
    expect(previousEventId('1795524273660-3')).toBe('1795524273660-2');
    expect(previousEventId('1795524273660-0')).toBe('1795524273659-18446744073709551615');
    const before = id(previousEventId('1795524273660-0'));
    expect(compareEventIds(before, id('1795524273660-0'))).toBeLessThan(0);
    expect(compareEventIds(before, id('1795524273659-99999'))).toBeGreaterThan(0);
  });

  it('should show plain ids as JSON numbers and Redis ids as strings', () => {
    expect(eventIdValue('42')).toBe(42);
    expect(eventIdValue('1795524273660-0')).toBe('1795524273660-0');
  });
});
