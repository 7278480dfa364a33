import { SampleHubService } from '../../src/hub/sample-hub.service.js';

/** A hub retaining `history` events; `remoteIds`: a gateway's, taking Redis ids. */
export function hubRetaining(history: number, remoteIds = false): SampleHubService {
  return new SampleHubService({
    heartbeatMs: 1000,
    history,
    maxSubscribers: 10,
    maxStreamsPerIp: 0,
    clientBufferBytes: 1024,
    remoteIds,
  });
}
