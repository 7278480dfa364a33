// Query values arrive as strings. These convert only well-formed ones, leaving anything else as
// it came so the validators reject it with a message naming the parameter (Number() alone would
// accept '', '0x10', '1e3' and ' 5 ').

/**
 * Event ids (lastEventId=, since=): decimal integers of up to 15 digits, or Redis Stream ids
 * (`1795524273660-0`) on a gateway. Which of the two this stream uses is checked by the hub.
 */
export const EVENT_ID_FORMAT = /^\d{1,15}(-\d{1,20})?$/;
export const EVENT_ID_MESSAGE =
  'must be an event id (an integer, or on a gateway a Redis Stream id such as 1795524273660-0)';

/** Small non-negative integers (every=, limit=). */
export const toInteger = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : value;

/** `true` / `false`. */
export const toBoolean = ({ value }: { value: unknown }): unknown =>
  value === 'true' ? true : value === 'false' ? false : value;
