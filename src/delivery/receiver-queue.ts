import { errorMessage } from '../common/error-message.js';
import type { DeliveryRequest } from './receiver-payloads.js';

/** One alert change on its way to one receiver. */
export interface DeliveryJob {
  rule: string;
  host: string;
  severity: string;
  request: DeliveryRequest;
}

/** What became of a job: what `GET /api/v1/alerts/deliveries` lists. */
export interface DeliveryRecord {
  receiver: string;
  rule: string;
  host: string;
  severity: string;
  /** When it was sent, failed for good, or dropped (ISO). */
  at: string;
  result: 'sent' | 'failed' | 'dropped';
  attempts: number;
  error: string | null;
}

/** Sends one request; resolves with the HTTP status, rejects when there is no answer. */
export type Send = (request: DeliveryRequest, signal: AbortSignal) => Promise<number>;

export interface ReceiverQueueOptions {
  /** Jobs waiting at most; past it the oldest is dropped (and reported). */
  capacity: number;
  /** One attempt's time limit. */
  timeoutMs: number;
  /** Attempts per job before it fails for good. */
  maxAttempts: number;
  /** The backoff before the second attempt; doubled each retry up to retryMaxMs, then jittered. */
  retryMinMs: number;
  retryMaxMs: number;
  /** Told of every job's end. */
  onResult: (record: DeliveryRecord) => void;
  send?: Send;
  now?: () => number;
  /** In [0, 1): the jitter (Math.random by default). */
  random?: () => number;
  /** Waits `ms`, or until `signal` aborts (a timer by default). */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** A timer that does not keep the process alive and ends early when `signal` aborts. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    timer.unref();
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** POSTs with fetch; the status, or a rejection when there was no answer in time. */
export const fetchSend: Send = async (request, signal) => {
  const response = await fetch(request.url, {
    method: 'POST',
    headers: request.headers,
    body: request.body,
    signal,
    redirect: 'error',
  });
  // The body is not needed; reading it frees the connection.
  await response.arrayBuffer().catch(() => undefined);
  return response.status;
};

/**
 * The alert changes waiting for one receiver, sent one at a time in order, each attempt with a
 * time limit, retried with exponential backoff and jitter. Bounded: past the capacity the
 * oldest change is dropped and reported. Nothing here is awaited by the sampler: `enqueue`
 * returns at once, and a receiver that hangs or is down only delays its own queue.
 */
export class ReceiverQueue {
  private readonly jobs: DeliveryJob[] = [];
  private running = false;
  private stopped = false;
  private readonly controller = new AbortController();
  private readonly send: Send;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;

  constructor(
    readonly receiver: string,
    private readonly options: ReceiverQueueOptions,
  ) {
    this.send = options.send ?? fetchSend;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.sleep = options.sleep ?? abortableSleep;
  }

  /** Jobs waiting, the one being sent included. */
  get depth(): number {
    return this.jobs.length;
  }

  enqueue(job: DeliveryJob): void {
    if (this.stopped) {
      return;
    }
    this.jobs.push(job);
    if (this.jobs.length > this.options.capacity) {
      // The one being sent (first, when running) finishes; the next oldest goes.
      const [dropped] = this.jobs.splice(this.running ? 1 : 0, 1);
      if (dropped) {
        this.report(dropped, 'dropped', 0, `queue full (${this.options.capacity})`);
      }
    }
    if (!this.running) {
      void this.drain();
    }
  }

  /** Stops sending: the attempt under way is aborted, nothing waiting is sent. */
  stop(): void {
    this.stopped = true;
    this.controller.abort();
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (!this.stopped && this.jobs.length > 0) {
        const job = this.jobs[0] as DeliveryJob;
        await this.deliver(job);
        if (this.jobs[0] === job) {
          this.jobs.shift();
        }
      }
    } finally {
      this.running = false;
    }
  }

  private async deliver(job: DeliveryJob): Promise<void> {
    let error: string;
    for (let attempt = 1; attempt <= this.options.maxAttempts; attempt++) {
      if (this.stopped) {
        return;
      }
      try {
        const signal = AbortSignal.any([
          this.controller.signal,
          AbortSignal.timeout(this.options.timeoutMs),
        ]);
        const status = await this.send(job.request, signal);
        if (status >= 200 && status < 300) {
          this.report(job, 'sent', attempt, null);
          return;
        }
        error = `HTTP ${status}`;
      } catch (cause) {
        error =
          (cause as { name?: string } | null)?.name === 'TimeoutError'
            ? `no answer in ${this.options.timeoutMs} ms`
            : errorMessage(cause);
      }
      if (attempt < this.options.maxAttempts) {
        await this.backoff(attempt);
      } else {
        this.report(job, 'failed', attempt, error);
      }
    }
  }

  // Equal jitter: between half and all of the exponential bound, so the retries of many
  // vitals do not all hit a receiver that comes back at the same moment.
  private backoff(attempt: number): Promise<void> {
    const { retryMinMs, retryMaxMs } = this.options;
    const bound = Math.min(retryMaxMs, retryMinMs * 2 ** (attempt - 1));
    return this.sleep(Math.round(bound / 2 + (this.random() * bound) / 2), this.controller.signal);
  }

  private report(
    job: DeliveryJob,
    result: DeliveryRecord['result'],
    attempts: number,
    error: string | null,
  ): void {
    this.options.onResult({
      receiver: this.receiver,
      rule: job.rule,
      host: job.host,
      severity: job.severity,
      at: new Date(this.now()).toISOString(),
      result,
      attempts,
      error,
    });
  }
}
