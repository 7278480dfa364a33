// @ts-check
// Event ids: numbers from a standalone vitals; on a gateway, Redis Stream ids such as
// "1795550910600-0" (milliseconds, then a sequence). Both arrive as text in SSE id lines.
// Never Number() a whole id: "…-0" is NaN, and NaN compares false with everything.

const ID_FORMAT = /^(\d{1,15})(?:-(\d{1,20}))?$/;

/**
 * [milliseconds, sequence] of an id of either form; null when it is not an id.
 * @param {unknown} id
 * @returns {[number, number] | null}
 */
export function idParts(id) {
  const m = typeof id === 'number' || typeof id === 'string' ? ID_FORMAT.exec(String(id)) : null;
  return m ? [parseInt(m[1] ?? '', 10), parseInt(m[2] ?? '0', 10)] : null;
}

/**
 * @param {unknown} id
 * @returns {id is string | number}
 */
export const isId = (id) => idParts(id) !== null;

/**
 * Negative, zero or positive as id a is before, equal to or after id b. A malformed id sorts
 * before every real one, so it never counts as newer.
 * @param {unknown} a
 * @param {unknown} b
 */
export function compareIds(a, b) {
  const [aMs, aSeq] = idParts(a) ?? [-1, -1];
  const [bMs, bSeq] = idParts(b) ?? [-1, -1];
  return aMs - bMs || aSeq - bSeq;
}
