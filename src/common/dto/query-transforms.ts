// Query values arrive as strings. These convert only well-formed ones, leaving anything else as
// it came so the validators reject it with a message naming the parameter (Number() alone would
// accept '', '0x10', '1e3' and ' 5 ').

/** Event ids (Last-Event-ID, lastEventId=, since=): decimal strings of up to 15 digits. */
export const toEventId = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value;

/** Small non-negative integers (every=, limit=). */
export const toInteger = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : value;

/** `true` / `false`. */
export const toBoolean = ({ value }: { value: unknown }): unknown =>
  value === 'true' ? true : value === 'false' ? false : value;
