import fc from 'fast-check';
import { compareIds, idParts, isId } from '../../public/js/ids.js';

describe('the dashboard event ids', () => {
  it('should read numeric ids and Redis Stream ids when given either form', () => {
    expect(idParts(42)).toEqual([42, 0]);
    expect(idParts('42')).toEqual([42, 0]);
    expect(idParts('1795550910600-3')).toEqual([1795550910600, 3]);
  });

  it.each([null, undefined, '', '-1', '1.5', '12-', 'abc', '1-2-3', {}, 1.5])(
    'should not take %p for an id',
    (id) => {
      expect(idParts(id)).toBeNull();
      expect(isId(id)).toBe(false);
    },
  );

  it('should order Redis Stream ids by milliseconds, then sequence, where Number() gives NaN', () => {
    expect(compareIds('1795550910600-10', '1795550910600-9')).toBeGreaterThan(0);
    expect(compareIds('1795550910599-99', '1795550910600-0')).toBeLessThan(0);
    expect(compareIds('7', 7)).toBe(0);
  });

  it('should sort a malformed id before every real one when compared', () => {
    expect(compareIds('garbage', 0)).toBeLessThan(0);
    expect(compareIds(0, 'garbage')).toBeGreaterThan(0);
  });

  it('should order ids as their numbers when both parts are numbers', () => {
    const part = fc.integer({ min: 0, max: 1e12 });

    fc.assert(
      fc.property(part, part, part, part, (aMs, aSeq, bMs, bSeq) => {
        const expected = Math.sign(aMs - bMs || aSeq - bSeq);

        expect(Math.sign(compareIds(`${aMs}-${aSeq}`, `${bMs}-${bSeq}`))).toBe(expected);
      }),
    );
  });
});
