import type { jest } from '@jest/globals';
import { GroupSelection } from '../../src/hub/group-selection.js';
import type { SampleHubService } from '../../src/hub/sample-hub.service.js';
import { type SessionOptions, StreamSession } from '../../src/stream/stream-session.js';
import type { FakeOutput } from './fake-output.js';

/**
 * A started session on `hub` writing to `output`, subscribed to the hub's events, with every
 * sample and alert from the hub's newest event on unless `options` say otherwise.
 */
export function openSession(
  hub: SampleHubService,
  output: FakeOutput,
  dropped: jest.Mock<() => void>,
  options: Partial<SessionOptions>,
): StreamSession {
  const session = new StreamSession(
    hub,
    output,
    {
      projection: GroupSelection.ALL,
      everyN: 1,
      alerts: true,
      notices: true,
      after: hub.newestId,
      prelude: [],
      maxLagBytes: 10_000,
      ...options,
    },
    dropped,
  );
  hub.events.subscribe((event) => session.onPublish(event));
  session.start();
  return session;
}

/** The ids of the sample frames `output` received, in order. */
export const sampleFrameIds = (output: FakeOutput): Array<string | undefined> =>
  output.frames.filter((frame) => frame.event === 'sample').map((frame) => frame.id);
