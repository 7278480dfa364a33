import { alertChange, sampleReading } from '../../test/helpers/readings.js';
import { hubRetaining } from '../../test/helpers/hubs.js';
import { decodeEntry, encodeEntry } from './stream-entry.codec.js';

const ALERT = alertChange({ severity: 'critical', value: 97, threshold: 95 });

describe('stream entries', () => {
  const hub = hubRetaining(10);

  it('should carry a sample through Redis as the JSON the agent serialized for its own clients', () => {
    const event = hub.publish(sampleReading());

    const fields = encodeEntry(event);
    const decoded = decodeEntry('1795524273660-0', fields);

    expect(fields).toEqual(['kind', 'sample', 'host', 'web-1', 'data', expect.any(String)]);
    expect(decoded).toEqual({ eventId: '1795524273660-0', kind: 'sample', sample: event.sample });
  });

  it('should carry an alert change through Redis', () => {
    const event = hub.publishAlert(ALERT);

    expect(decodeEntry('1795524273661-0', encodeEntry(event))).toEqual({
      eventId: '1795524273661-0',
      kind: 'alert',
      alert: ALERT,
    });
  });

  it('should pass over entries that are not a vitals event, rather than fail on them', () => {
    const sample = JSON.stringify({ host: 'web-1', timestamp: 'now' });
    for (const fields of [
      [],
      ['kind', 'sample', 'host', 'web-1'],
      ['kind', 'sample', 'host', 'web-1', 'data', '{not json'],
      ['kind', 'sample', 'host', 'web-1', 'data', '[1,2]'],
      ['kind', 'sample', 'host', 'web-2', 'data', sample],
      ['kind', 'sample', 'host', 'web-1', 'data', JSON.stringify({ host: 'web-1' })],
      ['kind', 'alert', 'host', 'web-1', 'data', sample],
      ['kind', 'other', 'host', 'web-1', 'data', sample],
      ['odd'],
    ]) {
      expect(decodeEntry('1-0', fields)).toBeUndefined();
    }
  });
});
