// The load process of the reconnect storm: opens `count` SSE subscribers on `path`, ramping up
// as bench/subscribers.mjs does, and reads every frame, checking that event ids follow each
// other. On 'drop' it destroys every socket at once (as a proxy restart would), then reconnects
// each client at a uniformly random moment within `windowMs`, with `Last-Event-ID` set to the
// last id it received (as EventSource does: the id of the last frame that had one). It tells its
// parent 'settled' once every client has resumed (had its first event since) or failed, and on
// 'report' sends its figures and exits.
//
// On a standalone vitals every event (sample or alert) takes the next integer, and a default
// subscription gets every event; frames without an id (`alert` state at connect, `hosts`,
// `: ping`) are not events of the sequence. A stream opens with `meta`, whose id is the position
// it continues after (on a resume: the Last-Event-ID sent), then the events after it, with a
// `gap` frame first if some are gone.
import http from 'node:http';

const [url, countText, path, windowMsText, graceMsText = '20000'] = process.argv.slice(2);
const count = Number(countText);
const windowMs = Number(windowMsText);
const target = new URL(path, url);
const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
const RAMP_BATCH = 100;

let droppedAt;
let settled = false;
const failures = {}; // reason → clients whose reconnection failed
// Event ids that were not the previous one + 1 (the first event of a stream excepted).
const discontinuities = { beforeDrop: 0, afterResume: 0 };
let gapFrames = 0;
let metaMismatches = 0;

/** One subscriber: its connection, where it is in the sequence, and how its resume went. */
class Client {
  request = undefined;
  // The id of the last frame that had one: what EventSource sends back as Last-Event-ID.
  lastId = undefined;
  buffer = '';
  events = 0;
  connected = false;
  // Set on reconnecting.
  sentLastEventId = undefined;
  reconnectedAt = undefined;
  resumedAt = undefined;
  resumedGapFree = undefined;
  sawGap = false;
  failed = undefined;

  connect(headers = {}) {
    this.buffer = '';
    // Events of a connection already dropped are not this client's any more.
    const request = http.get(
      target,
      { agent, headers: { accept: 'text/event-stream', ...headers } },
      (res) => {
        if (this.request !== request) {
          res.destroy();
          return;
        }
        if (res.statusCode !== 200) {
          res.resume();
          this.fail(`HTTP ${res.statusCode}`);
          return;
        }
        this.connected = true;
        res.setEncoding('utf8').on('data', (chunk) => this.request === request && this.read(chunk));
        res.on('close', () => this.request === request && this.fail('closed by the server'));
      },
    );
    request.on(
      'error',
      (error) => this.request === request && this.fail(error.code ?? error.message),
    );
    this.request = request;
  }

  /** Drops the connection from this side, as a restarting proxy would. */
  drop() {
    const request = this.request;
    this.request = undefined;
    this.connected = false;
    request?.destroy();
  }

  reconnect() {
    this.reconnectedAt = performance.now();
    this.sentLastEventId = this.lastId;
    this.connect(this.lastId === undefined ? {} : { 'last-event-id': this.lastId });
  }

  fail(reason) {
    // Before the drop a failure is the ramp's; after it, only a client not yet resumed fails.
    if (droppedAt === undefined || this.resumedAt !== undefined || this.failed) {
      return;
    }
    this.failed = reason;
    failures[reason] = (failures[reason] ?? 0) + 1;
    checkSettled();
  }

  read(chunk) {
    this.buffer += chunk;
    let end;
    while ((end = this.buffer.indexOf('\n\n')) !== -1) {
      const frame = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      this.frame(frame);
    }
  }

  // Only the lines before `data:` matter: vitals writes event, id and retry first.
  frame(text) {
    let type = 'message';
    let id;
    let hasData = false;
    for (let start = 0; start < text.length;) {
      const newline = text.indexOf('\n', start);
      const line = text.slice(start, newline === -1 ? text.length : newline);
      if (line.startsWith('data:')) {
        hasData = true;
        break;
      }
      if (line.startsWith('event: ')) {
        type = line.slice(7);
      } else if (line.startsWith('id: ')) {
        id = line.slice(4);
      }
      start = newline === -1 ? text.length : newline + 1;
    }
    if (!hasData) {
      return; // the first blank line, `: ping`
    }
    const resuming = this.reconnectedAt !== undefined && this.resumedAt === undefined;
    if (type === 'meta') {
      if (resuming && id !== this.sentLastEventId) {
        metaMismatches++;
      }
    } else if (type === 'gap') {
      gapFrames++;
      this.sawGap = true;
    } else if (id !== undefined) {
      this.event(Number(id), resuming);
    }
    if (id !== undefined) {
      this.lastId = id;
    }
  }

  event(id, resuming) {
    const follows = this.lastId !== undefined && id === Number(this.lastId) + 1;
    this.events++;
    if (resuming) {
      this.resumedAt = performance.now();
      this.resumedGapFree =
        !this.sawGap &&
        this.sentLastEventId !== undefined &&
        id === Number(this.sentLastEventId) + 1;
      checkSettled();
    } else if (!follows && this.lastId !== undefined) {
      discontinuities[droppedAt === undefined ? 'beforeDrop' : 'afterResume']++;
    }
  }
}

const clients = Array.from({ length: count }, () => new Client());

for (let batch = 0; batch < count; batch += RAMP_BATCH) {
  clients.slice(batch, batch + RAMP_BATCH).forEach((client) => client.connect());
  await new Promise((resolve) => setTimeout(resolve, 100));
}
const connectedNow = () => clients.filter((c) => c.connected).length;
process.send({ type: 'ramped', connected: connectedNow() });

function checkSettled() {
  if (settled || droppedAt === undefined) {
    return;
  }
  if (clients.every((c) => c.resumedAt !== undefined || c.failed)) {
    settle();
  }
}

function settle() {
  settled = true;
  process.send({ type: 'settled', afterMs: performance.now() - droppedAt });
}

function drop() {
  const connected = connectedNow();
  const withEvents = clients.filter((c) => c.events > 0).length;
  droppedAt = performance.now();
  // Every socket goes before any new one opens.
  clients.forEach((client) => client.drop());
  for (const client of clients) {
    setTimeout(() => client.reconnect(), Math.random() * windowMs);
  }
  // A client that has not had its first event by then has failed to resume.
  setTimeout(
    () => {
      for (const client of clients) {
        if (client.resumedAt === undefined && !client.failed) {
          client.failed = client.connected ? 'no event since reconnecting' : 'not connected';
          failures[client.failed] = (failures[client.failed] ?? 0) + 1;
        }
      }
      checkSettled();
    },
    windowMs + Number(graceMsText),
  ).unref();
  process.send({ type: 'dropped', connected, withEvents });
}

const percentile = (sorted, p) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] : null;
const round = (ms) => (ms === null ? null : Math.round(ms));

function report() {
  const resumed = clients.filter((c) => c.resumedAt !== undefined);
  const sinceDrop = resumed.map((c) => c.resumedAt - droppedAt).sort((a, b) => a - b);
  const sinceReconnect = resumed.map((c) => c.resumedAt - c.reconnectedAt).sort((a, b) => a - b);
  return {
    type: 'report',
    clients: count,
    resumed: resumed.length,
    resumedGapFree: resumed.filter((c) => c.resumedGapFree).length,
    resumedWithGap: resumed.filter((c) => !c.resumedGapFree).length,
    failed: clients.filter((c) => c.failed).length,
    failures,
    withoutLastEventId: clients.filter((c) => c.reconnectedAt && !c.sentLastEventId).length,
    gapFrames,
    metaMismatches,
    discontinuities,
    connectedAtEnd: connectedNow(),
    lastResumedMs: round(sinceDrop.at(-1) ?? null),
    firstEventAfterReconnectMs: {
      p50: round(percentile(sinceReconnect, 0.5)),
      p99: round(percentile(sinceReconnect, 0.99)),
      max: round(sinceReconnect.at(-1) ?? null),
    },
  };
}

process.on('message', (message) => {
  if (message === 'drop') {
    drop();
    return;
  }
  process.send(report());
  clients.forEach((client) => client.drop());
  process.exit(0);
});
