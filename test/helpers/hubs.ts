import { SampleHubService } from '../../src/hub/sample-hub.service.js';

/**
 * A hub retaining `history` events; `remoteIds`: a gateway's, taking Redis ids. Hosts are stale
 * after three 1 s intervals and forgotten after `hostTtlMs`.
 */
export function hubRetaining(
  history: number,
  remoteIds = false,
  hostTtlMs = 86_400_000,
): SampleHubService {
  return new SampleHubService({
    heartbeatMs: 1000,
    history,
    maxSubscribers: 10,
    maxStreamsPerIp: 0,
    clientBufferBytes: 1024,
    remoteIds,
    hostTtlMs,
    intervalMs: 1000,
  });
}
