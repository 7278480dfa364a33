// Event ids travel as decimal strings (Last-Event-ID, lastEventId=, since=); anything else stays
// a string and fails validation with a message naming the parameter.
export const toEventId = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value;
