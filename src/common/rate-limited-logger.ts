import { Logger } from '@nestjs/common';

/**
 * A warning that may repeat at every event (a bad Redis entry, a failing subscriber): logged at
 * most once per `intervalMs`, saying how many more were suppressed since the last one logged,
 * so a flood of them can neither fill the disk nor hide in it.
 */
export class RateLimitedLogger {
  private lastAt = -Infinity;
  private suppressed = 0;

  constructor(
    private readonly logger: Logger,
    private readonly intervalMs = 10_000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  warn(message: string): void {
    const now = this.now();
    if (now - this.lastAt < this.intervalMs) {
      this.suppressed++;
      return;
    }
    const suppressed = this.suppressed;
    this.lastAt = now;
    this.suppressed = 0;
    this.logger.warn(
      suppressed > 0
        ? `${message} (and ${suppressed} more like it in the last ${Math.round(this.intervalMs / 1000)} s, not logged)`
        : message,
    );
  }
}
