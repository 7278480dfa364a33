import type { ConfigType } from '@nestjs/config';
import { ErrorCode } from '../common/error-code.js';
import type { streamConfig } from '../config/stream.config.js';
import { StreamAdmission } from './stream-admission.js';

const config = (maxSubscribers: number, maxStreamsPerIp: number) =>
  ({ maxSubscribers, maxStreamsPerIp }) as ConfigType<typeof streamConfig>;

describe('StreamAdmission', () => {
  it('should answer TOO_MANY_SUBSCRIBERS when the cap is reached', () => {
    const admission = new StreamAdmission(config(3, 0));
    ['10.0.0.1', '10.0.0.2', '10.0.0.3'].forEach((address, open) => {
      admission.admit(address, open);
      admission.enter(address);
    });

    let error: unknown;
    try {
      admission.admit('10.0.0.4', 3);
    } catch (caught) {
      error = caught;
    }

    expect(error).toMatchObject({ code: ErrorCode.TOO_MANY_SUBSCRIBERS });
    expect(admission.rejected).toBe(1);
  });

  it('should answer TOO_MANY_STREAMS past the per-address cap, and admit again when one leaves', () => {
    const admission = new StreamAdmission(config(10, 2));
    admission.enter('a');
    admission.enter('a');

    expect(() => admission.admit('a', 2)).toThrow(
      expect.objectContaining({ code: ErrorCode.TOO_MANY_STREAMS }) as Error,
    );
    expect(() => admission.admit('b', 2)).not.toThrow();
    admission.leave('a');
    expect(() => admission.admit('a', 1)).not.toThrow();
    expect(admission.rejected).toBe(1);
  });

  it('should not cap an address when the per-address cap is 0', () => {
    const admission = new StreamAdmission(config(10, 0));
    Array.from({ length: 5 }, () => admission.enter('a'));

    expect(() => admission.admit('a', 5)).not.toThrow();
    expect(admission.rejected).toBe(0);
  });
});
