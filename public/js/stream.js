// @ts-check
// The event stream: one EventSource at a time, the newest event id to resume from, and the
// connection state. The browser reconnects by itself (sending Last-Event-ID); when it gives up
// (an HTTP error such as 503) this retries, backing off.

import { parse } from './format.js';
import { compareIds, isId } from './ids.js';
import { isLiveEvent, replayedThrough } from './notify.js';
import { setStatus } from './status.js';

/**
 * @typedef {object} StreamHandlers
 * @property {(resumeFrom: string | null) => string} url the stream's URL
 * @property {(meta: unknown, fresh: boolean) => void} onMeta fresh: a stream that did not
 *   resume, so it starts with the alerts active now
 * @property {(sample: unknown) => void} onSample
 * @property {(alert: unknown, live: boolean) => void} onAlert live: it happened after this
 *   connection opened; false for the alerts active on connect and the changes replayed on a
 *   resume
 * @property {() => void} onGap events were lost
 * @property {(hosts: unknown) => void} [onHosts] the host list changed (a gateway's `hosts`
 *   event: state with no id, never replayed)
 * @property {() => Promise<void>} beforeRetry e.g. sign in again: the token may have changed
 */

/** @param {StreamHandlers} handlers */
export function createStream(handlers) {
  /** @type {EventSource | null} */
  let source = null;
  /** @type {string | null} the newest event id seen, as the server sent it */
  let lastEventId = null;
  let failures = 0;
  let retryTimer = 0;
  let fresh = false;
  /** @type {string | number | null} the newest event retained when this connection opened */
  let through = null;
  let epoch = 0; // bumped by close(): a retry scheduled before does not reopen

  /** @param {MessageEvent} e */
  function noteEventId(e) {
    const id = e.lastEventId;
    if (isId(id) && (lastEventId === null || compareIds(id, lastEventId) > 0)) {
      lastEventId = id;
    }
  }

  /**
   * @param {(data: unknown) => void} handle
   * @returns {(e: MessageEvent<string>) => void}
   */
  const frame = (handle) => (e) => {
    noteEventId(e);
    handle(parse(e.data));
  };

  function onOpen() {
    failures = 0;
    setStatus('live');
  }

  /** @param {Event} e */
  function onError(e) {
    if (!source || e.currentTarget !== source) {
      return;
    }
    if (source.readyState === EventSource.CONNECTING) {
      setStatus('reconnecting'); // the browser retries by itself
      return;
    }
    failures++;
    const delay = Math.min(60_000, 5_000 * 2 ** (failures - 1));
    setStatus('closed', `Disconnected, retrying in ${Math.round(delay / 1000)} s`);
    clearTimeout(retryTimer);
    const at = epoch;
    retryTimer = window.setTimeout(() => {
      // A failed sign-in check (the server still away) retries all the same.
      void handlers
        .beforeRetry()
        .catch(() => undefined)
        .then(() => {
          // After repeated failures drop the resume point: it may be the reason (ahead of the
          // server).
          if (at === epoch) {
            open(failures > 2 ? null : lastEventId);
          }
        });
    }, delay);
  }

  /** @param {string | null} resumeFrom the id to resume after; null: from now */
  function open(resumeFrom) {
    if (source && source.readyState !== EventSource.CLOSED) {
      return; // never two at once
    }
    fresh = resumeFrom == null;
    setStatus('connecting');
    source = new EventSource(handlers.url(resumeFrom));
    source.addEventListener('open', onOpen);
    source.addEventListener('error', onError);
    source.addEventListener(
      'meta',
      frame((meta) => {
        if (meta) {
          through = replayedThrough(meta);
          handlers.onMeta(meta, fresh);
          fresh = false;
        }
      }),
    );
    source.addEventListener('sample', frame(handlers.onSample));
    source.addEventListener(
      'alert',
      /** @param {MessageEvent<string>} e */ (e) => {
        noteEventId(e);
        handlers.onAlert(parse(e.data), isLiveEvent(e.lastEventId, through));
      },
    );
    source.addEventListener('gap', frame(handlers.onGap));
    const { onHosts } = handlers;
    if (onHosts) {
      // No id of its own: it leaves the resume point alone.
      source.addEventListener(
        'hosts',
        /** @param {MessageEvent<string>} e */ (e) => onHosts(parse(e.data)),
      );
    }
  }

  return {
    open,
    close() {
      epoch++;
      clearTimeout(retryTimer);
      source?.close();
      source = null;
    },
    /** Forgets the resume point: another host's ids must not mislead the dedupe. */
    forget() {
      lastEventId = null;
      failures = 0;
    },
  };
}

/** @typedef {ReturnType<typeof createStream>} Stream */
