import { EventRing } from './event-ring.js';

const ev = (id: number) => ({ id });
const ids = (events: Iterable<{ id: number }>) => [...events].map((event) => event.id);

describe('EventRing', () => {
  it('should be empty when created', () => {
    const ring = new EventRing(3);

    expect(ring.size).toBe(0);
    expect(ring.oldest).toBeUndefined();
    expect(ring.newest).toBeUndefined();
    expect(ring.after(0)).toBeUndefined();
    expect(ids(ring.since())).toEqual([]);
  });

  it('should keep only the newest events when pushed past capacity', () => {
    const ring = new EventRing(3);

    [10, 11, 12, 13, 14].forEach((id) => ring.push(ev(id)));

    expect(ring.size).toBe(3);
    expect(ring.oldest?.id).toBe(12);
    expect(ring.newest?.id).toBe(14);
    expect(ids(ring.since())).toEqual([12, 13, 14]);
  });

  it('should find the next event after an id when the id is retained, older or newest', () => {
    const ring = new EventRing(3);
    [10, 11, 12, 13, 14].forEach((id) => ring.push(ev(id)));

    expect(ring.after(12)?.id).toBe(13);
    expect(ring.after(3)?.id).toBe(12);
    expect(ring.after(14)).toBeUndefined();
    expect(ids(ring.since(12))).toEqual([13, 14]);
    expect(ids(ring.since(1))).toEqual([12, 13, 14]);
  });

  it('should walk the retained events newest first, after wrapping around too', () => {
    const ring = new EventRing(3);
    [1, 2].forEach((id) => ring.push(ev(id)));
    const before = ids(ring.newestFirst());
    [3, 4, 5].forEach((id) => ring.push(ev(id)));

    expect(before).toEqual([2, 1]);
    expect(ids(ring.newestFirst())).toEqual([5, 4, 3]);
  });

  it('should refuse an event that does not follow the newest when ids skip', () => {
    const ring = new EventRing(5);
    ring.push(ev(1));

    expect(() => ring.push(ev(3))).toThrow('event 3 does not follow 1');
  });

  it('should find the newest event a prefix-closed condition holds for, across the wrap', () => {
    const ring = new EventRing(4);
    [1, 2, 3, 4, 5, 6].forEach((id) => ring.push(ev(id)));

    expect(ring.at(0)?.id).toBe(3);
    expect(ring.at(4)).toBeUndefined();
    expect(ring.lastWhere((event) => event.id <= 4)?.id).toBe(4);
    expect(ring.lastWhere((event) => event.id <= 99)?.id).toBe(6);
    expect(ring.lastWhere((event) => event.id <= 2)).toBeUndefined();
    expect(new EventRing(2).lastWhere(() => true)).toBeUndefined();
  });
});
