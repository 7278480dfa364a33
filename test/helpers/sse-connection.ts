import { type IncomingHttpHeaders, type IncomingMessage, type ClientRequest, get } from 'node:http';

export interface SseFrame {
  event?: string;
  id?: string;
  data?: string;
  retry?: number;
  comment?: string;
}

/** The complete frames in `text` (a block ends with a blank line). */
export function parseSseFrames(text: string): SseFrame[] {
  return text
    .split('\n\n')
    .slice(0, -1)
    .map((block) => SseConnection.parse(block))
    .filter((frame): frame is SseFrame => frame !== undefined);
}

/** The ids of the `sample` events among `frames`, as numbers. */
export const sampleIds = (frames: SseFrame[]): number[] =>
  frames.filter((frame) => frame.event === 'sample').map((frame) => Number(frame.id));

/**
 * A raw HTTP client for event streams: keeps every frame exactly as the server framed it, so
 * tests see ids, retry lines and comments that EventSource hides.
 */
export class SseConnection {
  readonly frames: SseFrame[] = [];
  /** The first 64 KiB of the body as received, for assertions on framing. */
  body = '';
  private buffer = '';
  private waiters: Array<() => void> = [];
  readonly ended: Promise<void>;

  private constructor(
    private readonly request: ClientRequest,
    private readonly response: IncomingMessage,
  ) {
    response.setEncoding('utf8');
    this.ended = new Promise((resolve) => {
      response.on('close', resolve);
      response.on('end', resolve);
    });
    response.on('data', (chunk: string) => this.receive(chunk));
  }

  static open(url: string, headers: Record<string, string> = {}): Promise<SseConnection> {
    return new Promise((resolve, reject) => {
      const request = get(url, { headers: { accept: 'text/event-stream', ...headers } });
      request.on('response', (response) => resolve(new SseConnection(request, response)));
      request.on('error', reject);
    });
  }

  get status(): number | undefined {
    return this.response.statusCode;
  }

  get headers(): IncomingHttpHeaders {
    return this.response.headers;
  }

  /** Frames that carry an event (not comments). */
  get events(): SseFrame[] {
    return this.frames.filter((frame) => frame.comment === undefined);
  }

  /** Resolves once `predicate` holds for the frames received, or fails after `timeoutMs`. */
  async waitUntil(predicate: (frames: SseFrame[]) => boolean, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.frames)) {
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(`timed out; frames so far: ${JSON.stringify(this.frames)} ${this.body}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Waits for `count` event frames and returns them. */
  async nextEvents(count: number, timeoutMs = 5000): Promise<SseFrame[]> {
    await this.waitUntil(() => this.events.length >= count, timeoutMs);
    return this.events.slice(0, count);
  }

  close(): void {
    this.request.destroy();
  }

  private receive(chunk: string): void {
    if (this.body.length < 65536) {
      this.body += chunk;
    }
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) !== -1) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const frame = SseConnection.parse(block);
      if (frame) {
        this.frames.push(frame);
      }
    }
    this.waiters.splice(0).forEach((wake) => wake());
  }

  static parse(block: string): SseFrame | undefined {
    const frame: SseFrame = {};
    let any = false;
    for (const line of block.split('\n')) {
      if (line === '') {
        continue;
      }
      any = true;
      if (line.startsWith(':')) {
        frame.comment = line.slice(1).trim();
        continue;
      }
      const colon = line.indexOf(':');
      const field = line.slice(0, colon);
      const value = line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') {
        frame.event = value;
      } else if (field === 'id') {
        frame.id = value;
      } else if (field === 'retry') {
        frame.retry = Number(value);
      } else if (field === 'data') {
        frame.data = frame.data === undefined ? value : `${frame.data}\n${value}`;
      }
    }
    return any ? frame : undefined;
  }
}
