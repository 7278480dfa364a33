import type { IncomingMessage, ServerResponse } from 'node:http';
import { FakeOutput } from './fake-output.js';

/** A ServerResponse double for stream unit tests: records the head and the body, can close. */
export class FakeResponse extends FakeOutput {
  status: number | undefined;
  headers: Record<string, string> = {};
  ended = false;

  writeHead(status: number, headers: Record<string, string>): this {
    this.status = status;
    this.headers = headers;
    return this;
  }

  end(): this {
    this.ended = true;
    this.emit('close');
    return this;
  }

  /** The client went away. */
  disconnect(): void {
    this.emit('close');
  }

  asResponse(): ServerResponse {
    return this as unknown as ServerResponse;
  }
}

/** An incoming GET (or HEAD) as the stream service reads it. */
export function fakeRequest(method = 'GET'): IncomingMessage {
  const noop = () => undefined;
  return {
    method,
    socket: { setNoDelay: noop, setKeepAlive: noop, setTimeout: noop },
  } as unknown as IncomingMessage;
}
